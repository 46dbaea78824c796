package dev.tug.controlplane.controllers;

import dev.tug.controlplane.store.RevisionCompactedException;
import dev.tug.controlplane.store.Store;
import dev.tug.controlplane.store.WatchEndedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The list-then-watch loop every controller runs over the store, like a Kubernetes informer:
 * it hands the controller a full listing, then each change in order, and starts over with a
 * fresh listing when the watch ends (overflow, compaction) so nothing is missed.
 */
abstract class RegistryLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryLoop.class);

    private final Store store;
    private final String prefix;
    private final Thread thread;
    private volatile boolean running = true;

    RegistryLoop(Store store, String prefix, String name) {
        this.store = store;
        this.prefix = prefix;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Everything under the prefix, at the start and after every restart of the watch. */
    protected abstract void resync(List<Store.KeyValue> items);

    protected abstract void onEvent(Store.Event event);

    /** Called when no event arrived for a while: time for retries of work that failed. */
    protected void idle() {
    }

    @Override
    public void run() {
        while (running) {
            try {
                Store.Snapshot snapshot = store.list(prefix);
                resync(snapshot.items());
                try (Store.Watch watch = store.watch(prefix, snapshot.revision())) {
                    while (running) {
                        Store.Event event = watch.next(1000);
                        if (event == null) {
                            idle();
                        } else {
                            onEvent(event);
                        }
                    }
                }
            } catch (WatchEndedException | RevisionCompactedException e) {
                LOG.debug("{} restarts its watch: {}", thread.getName(), e.getMessage());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("{} failed, retrying: {}", thread.getName(), e.toString());
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
