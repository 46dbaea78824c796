package dev.tug.engine;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Repeats a cloud call that failed for a reason that passes (throttling, a resource another call just made
 * that is not visible yet), with doubling pauses, until a deadline. Other failures are thrown at once.
 */
public final class Retry {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    /** The pauses of both retry loops (calls here, deletions in {@link Teardown}) stop doubling here. */
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    private final Duration limit;
    private final Predicate<Throwable> passing;
    private final Consumer<String> log;

    public Retry(Duration limit, Predicate<Throwable> passing, Consumer<String> log) {
        this.limit = limit;
        this.passing = passing;
        this.log = log;
    }

    static Duration doubled(Duration pause) {
        Duration twice = pause.multipliedBy(2);
        return twice.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : twice;
    }

    public <T> T call(String what, Callable<T> action) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                return action.call();
            } catch (Exception e) {
                if (!passing.test(e) || System.nanoTime() + pause.toNanos() > deadline) {
                    throw e;
                }
                log.accept(what + ": " + Errors.firstLine(e) + "; retrying in " + pause.toMillis() / 1000.0 + "s");
                Thread.sleep(pause.toMillis());
                pause = doubled(pause);
            }
        }
    }
}
