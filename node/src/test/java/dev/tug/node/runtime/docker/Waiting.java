package dev.tug.node.runtime.docker;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Waits for what the engine does in the background, such as copying logs. */
final class Waiting {

    interface Check {
        boolean holds() throws Exception;
    }

    private Waiting() {
    }

    /** Up to 30 s, then fails with what {@code state} says. */
    static void until(Check check, Supplier<String> state) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out; " + state.get());
            }
            Thread.sleep(50);
        }
    }
}
