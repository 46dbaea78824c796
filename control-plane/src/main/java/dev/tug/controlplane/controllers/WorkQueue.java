package dev.tug.controlplane.controllers;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Keys waiting to be reconciled. A key queued twice before it is taken is reconciled once;
 * a key may also be due later (a retry, a timer), and the earlier of two due times wins.
 */
final class WorkQueue {

    private final LinkedHashSet<String> ready = new LinkedHashSet<>();
    private final Map<String, Long> later = new HashMap<>();

    synchronized void add(String key) {
        ready.add(key);
        notifyAll();
    }

    synchronized void addAfter(String key, long delayMillis) {
        if (delayMillis <= 0) {
            add(key);
            return;
        }
        later.merge(key, System.currentTimeMillis() + delayMillis, Math::min);
        notifyAll();
    }

    /** The next key to reconcile, waiting for one as long as needed. */
    synchronized String take() throws InterruptedException {
        while (true) {
            long now = System.currentTimeMillis();
            long nextDue = Long.MAX_VALUE;
            for (Iterator<Map.Entry<String, Long>> it = later.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Long> entry = it.next();
                if (entry.getValue() <= now) {
                    ready.add(entry.getKey());
                    it.remove();
                } else {
                    nextDue = Math.min(nextDue, entry.getValue());
                }
            }
            Iterator<String> first = ready.iterator();
            if (first.hasNext()) {
                String key = first.next();
                first.remove();
                return key;
            }
            wait(nextDue == Long.MAX_VALUE ? 0 : nextDue - now);
        }
    }

    synchronized int size() {
        return ready.size() + later.size();
    }
}
