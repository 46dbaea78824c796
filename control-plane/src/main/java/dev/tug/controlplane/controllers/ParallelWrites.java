package dev.tug.controlplane.controllers;

import dev.tug.controlplane.api.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs independent writes at once. The store commits concurrent writes together (one fsync for
 * many), so a controller creating 100 pods or the scheduler binding them is many times faster
 * in parallel than one after the other.
 */
public final class ParallelWrites {

    private static final ExecutorService POOL = Executors.newFixedThreadPool(16, r -> {
        Thread thread = new Thread(r, "controller-writes");
        thread.setDaemon(true);
        return thread;
    });

    private ParallelWrites() {
    }

    /**
     * Applies {@code write} to every item concurrently and returns the results in order; a
     * failed write is null in the results, and the first failure is thrown once all finished.
     */
    public static <T, R> List<R> each(List<T> items, Function<T, R> write) {
        if (items.size() <= 1) {
            return items.stream().map(write).toList();
        }
        List<Future<R>> futures = new ArrayList<>();
        items.forEach(item -> futures.add(POOL.submit(() -> write.apply(item))));
        List<R> results = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<R> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                results.add(null);
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.internal("interrupted");
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }
}
