package dev.tug.controlplane.controllers;

import dev.tug.controlplane.api.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Creates many objects the way Kubernetes controllers do: in batches of 1, 2, 4, ..., each batch
 * at once, stopping at the first batch with a failure. A template that cannot work fails on one
 * pod, not on a hundred.
 */
final class SlowStart {

    /** What was created, and the first failure that stopped it (null when everything was created). */
    record Result<R>(List<R> created, ApiException failure) {
    }

    private SlowStart() {
    }

    static <T, R> Result<R> each(List<T> items, Function<T, R> create) {
        List<R> created = new ArrayList<>();
        AtomicReference<ApiException> failure = new AtomicReference<>();
        int next = 0;
        int batch = 1;
        while (next < items.size() && failure.get() == null) {
            List<T> slice = items.subList(next, Math.min(items.size(), next + batch));
            ParallelWrites.each(slice, item -> {
                try {
                    return create.apply(item);
                } catch (ApiException e) {
                    failure.compareAndSet(null, e);
                    return null;
                }
            }).stream().filter(Objects::nonNull).forEach(created::add);
            next += slice.size();
            batch *= 2;
        }
        return new Result<>(created, failure.get());
    }
}
