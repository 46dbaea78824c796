package dev.tug.node.runtime.docker;

import java.time.Duration;
import java.time.Instant;

/** Waits for what the engine does in the background, such as copying logs. */
final class ContainerLaunchWait {

    interface Check {
        boolean holds() throws Exception;
    }

    private ContainerLaunchWait() {
    }

    static void until(Check check) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
