package dev.tug.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a task graph: each task starts once the tasks it depends on are done, independent tasks concurrently.
 * A dry run only finds and compares; an applying run also creates and changes. A failed task stops only the
 * tasks that depend on it, and the outcome says which.
 */
public final class Engine {
    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

    private final int threads;
    private final Retry retry;
    private final Function<Throwable, String> explain;
    private final Consumer<String> log;

    public Engine(int threads, Retry retry, Consumer<String> log) {
        this(threads, retry, Errors::firstLine, log);
    }

    /** {@code explain} turns a task's failure into the line the outcome reports (a cloud's own wording). */
    public Engine(int threads, Retry retry, Function<Throwable, String> explain, Consumer<String> log) {
        this.threads = threads;
        this.retry = retry;
        this.explain = explain;
        this.log = log;
    }

    public Result run(TaskGraph graph, boolean apply) {
        TaskContext context = new TaskContext();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "tug-task");
            thread.setDaemon(true);
            return thread;
        });
        Progress progress = new Progress(graph.size(), apply);
        try {
            Map<String, CompletableFuture<Outcome>> futures = new HashMap<>();
            for (Task task : graph.ordered()) {
                List<CompletableFuture<Outcome>> dependencies = task.dependsOn().stream().map(futures::get).toList();
                CompletableFuture<Outcome> future = CompletableFuture
                        .allOf(dependencies.toArray(CompletableFuture[]::new))
                        .thenApplyAsync(ignored -> {
                            Outcome outcome = runAfter(task, dependencies, context, apply);
                            progress.done();
                            return outcome;
                        }, pool);
                futures.put(task.key(), future);
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Task task : graph.ordered()) {
                outcomes.add(futures.get(task.key()).join());
            }
            progress.finish();
            return new Result(outcomes);
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome runAfter(Task task, List<CompletableFuture<Outcome>> dependencies, TaskContext context,
                             boolean apply) {
        // a skipped dependency already names the task that failed; pass its reason on
        Optional<String> reason = dependencies.stream().map(CompletableFuture::join).filter(Outcome::failed)
                .map(o -> o.action() == Outcome.Action.SKIPPED ? o.error()
                        : "not attempted because " + o.task().key() + " failed")
                .findFirst();
        if (reason.isPresent()) {
            return new Outcome(task, Outcome.Action.SKIPPED, null, List.of(), null, reason.get());
        }
        Fields desired = null;
        try {
            Optional<Found> live = retry.call("finding " + task.key(), () -> task.find(context));
            live.ifPresent(found -> context.remember(task.key(), found.id()));
            Fields wanted = task.desired(context);
            desired = wanted;
            List<Change> changes = live.map(found -> wanted.changesFrom(found.fields())).orElse(List.of());
            Outcome.Action action = live.isEmpty() ? Outcome.Action.CREATE
                    : changes.isEmpty() ? Outcome.Action.NONE : Outcome.Action.MODIFY;
            String id = live.map(Found::id).orElse(null);
            if (apply && action != Outcome.Action.NONE) {
                Found before = live.orElse(null);
                boolean[] tried = {false};
                id = retry.call((before == null ? "creating " : "changing ") + task.key(), () -> {
                    if (!tried[0]) {
                        tried[0] = true;
                        return task.apply(context, before, changes);
                    }
                    // a failed attempt may have done part of the work (a create that timed out, a call after
                    // it that failed): look again and apply only what is still missing
                    Optional<Found> now = task.find(context);
                    List<Change> left = now.map(found -> wanted.changesFrom(found.fields())).orElse(List.of());
                    if (now.isPresent() && left.isEmpty()) {
                        return now.get().id();
                    }
                    return task.apply(context, now.orElse(null), left);
                });
                context.remember(task.key(), id);
                log.accept((before == null ? "Created " : "Changed ") + task.key() + " (" + id + ")"
                        + (changes.isEmpty() ? "" : ": " + changes.stream().map(Change::toString)
                                .reduce((a, b) -> a + "; " + b).orElse("")));
            }
            return new Outcome(task, action, wanted, changes, id, null);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Outcome(task, Outcome.Action.FAILED, desired, List.of(), null, explain.apply(e));
        }
    }

    /** Prints `Tasks: N done / M total` while applying, at most every two seconds, and once at the end. */
    private final class Progress {
        private final int total;
        private final boolean enabled;
        private final AtomicInteger done = new AtomicInteger();
        private long lastPrinted = System.nanoTime();

        Progress(int total, boolean enabled) {
            this.total = total;
            this.enabled = enabled;
        }

        void done() {
            int count = done.incrementAndGet();
            synchronized (this) {
                long now = System.nanoTime();
                if (enabled && count < total && now - lastPrinted >= PROGRESS_EVERY_NANOS) {
                    lastPrinted = now;
                    log.accept("Tasks: " + count + " done / " + total + " total");
                }
            }
        }

        void finish() {
            if (enabled) {
                log.accept("Tasks: " + done.get() + " done / " + total + " total");
            }
        }
    }

    /** Every task's outcome, in dependency order. */
    public record Result(List<Outcome> outcomes) {
        public List<Outcome> failures() {
            return outcomes.stream().filter(Outcome::failed).toList();
        }

        public boolean changes() {
            return outcomes.stream().anyMatch(Outcome::wouldChange);
        }
    }
}
