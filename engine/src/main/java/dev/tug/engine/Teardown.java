package dev.tug.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Deletes owned resources in dependency order: in rounds, every resource whose blocking types are gone is deleted
 * concurrently. One still in use is retried in a later round, with growing pauses, until the time limit.
 */
public final class Teardown {
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

    private final Cloud cloud;
    private final Duration limit;
    private final int threads;
    private final Consumer<String> log;

    public Teardown(Cloud cloud, Duration limit, int threads, Consumer<String> log) {
        this.cloud = cloud;
        this.limit = limit;
        this.threads = threads;
        this.log = log;
    }

    /** Returns the failures, one line each; empty when everything is gone. */
    public List<String> run(List<OwnedResource> resources) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        List<OwnedResource> remaining = new ArrayList<>(resources);
        Map<OwnedResource, String> failed = new LinkedHashMap<>();
        Duration pause = FIRST_PAUSE;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            while (!remaining.isEmpty()) {
                Set<String> typesLeft = remaining.stream().map(OwnedResource::type).collect(Collectors.toSet());
                failed.keySet().forEach(r -> typesLeft.add(r.type()));
                List<OwnedResource> ready = remaining.stream()
                        .filter(r -> r.after().stream().noneMatch(typesLeft::contains)).toList();
                if (ready.isEmpty()) {
                    remaining.forEach(r -> failed.put(r, "not attempted: what must go first could not be deleted"));
                    break;
                }
                Map<OwnedResource, Future<Throwable>> attempts = new LinkedHashMap<>();
                for (OwnedResource resource : ready) {
                    attempts.put(resource, pool.submit(() -> attempt(resource)));
                }
                boolean retrying = false;
                for (Map.Entry<OwnedResource, Future<Throwable>> attempt : attempts.entrySet()) {
                    OwnedResource resource = attempt.getKey();
                    Throwable failure = result(attempt.getValue());
                    if (failure == null || cloud.gone(failure)) {
                        remaining.remove(resource);
                        log.accept("Deleted " + resource.label());
                    } else if ((cloud.inUse(failure) || cloud.passing(failure)) && System.nanoTime() < deadline) {
                        log.accept(resource.label() + " still has dependencies, will retry: " + Errors.firstLine(failure));
                        retrying = true;
                    } else {
                        remaining.remove(resource);
                        failed.put(resource, cloud.explain(failure));
                    }
                }
                if (retrying) {
                    // never sleep past the deadline: the next round then reports what is still in use
                    Thread.sleep(Math.max(0, Math.min(pause.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
                    pause = Retry.doubled(pause);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = new ArrayList<>();
        failed.forEach((resource, why) -> lines.add(resource.label() + ": " + why));
        return lines;
    }

    private static Throwable attempt(OwnedResource resource) {
        try {
            resource.deletion().delete();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private static Throwable result(Future<Throwable> future) throws InterruptedException {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }
}
