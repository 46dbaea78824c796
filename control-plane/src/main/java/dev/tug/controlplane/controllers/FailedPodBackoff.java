package dev.tug.controlplane.controllers;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Spaces out the replacement of a daemon pod that keeps failing on one node (an agent that
 * rejects it, a host port taken): 1 s after the first failure, doubling up to 15 minutes, as
 * Kubernetes does, instead of a create-fail-delete loop at full speed. Used by one worker thread.
 */
final class FailedPodBackoff {

    static final Duration INITIAL = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(15);

    private record Entry(Instant last, Duration delay) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * Zero when a failed pod under {@code key} may be deleted now, which starts the next, longer
     * wait; otherwise how long until it may.
     */
    Duration next(String key, Instant now) {
        Entry entry = entries.get(key);
        if (entry != null && now.isAfter(entry.last().plus(MAX.multipliedBy(2)))) {
            entry = null; // quiet for long enough: start over
        }
        if (entry != null) {
            Duration left = Duration.between(now, entry.last().plus(entry.delay()));
            if (left.compareTo(Duration.ZERO) > 0) {
                return left;
            }
        }
        Duration delay = entry == null ? INITIAL : min(entry.delay().multipliedBy(2), MAX);
        entries.put(key, new Entry(now, delay));
        entries.values().removeIf(e -> now.isAfter(e.last().plus(MAX.multipliedBy(2))));
        return Duration.ZERO;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
