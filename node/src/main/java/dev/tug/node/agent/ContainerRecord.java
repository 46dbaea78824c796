package dev.tug.node.agent;

import dev.tug.node.runtime.ContainerExit;
import dev.tug.node.runtime.RunningContainer;
import io.fabric8.kubernetes.api.model.Container;

import java.time.Instant;

/** What the agent knows of one container of a pod: the current attempt, the last one, back-off and probes. */
final class ContainerRecord {

    final Container spec;
    final boolean init;
    RunningContainer running;
    /** How the current attempt ended, when it did and will not (yet) be restarted. */
    ContainerExit exit;
    Instant exitStartedAt;
    String exitContainerId;
    /** How the attempt before the current one ended (lastState). */
    ContainerExit previousExit;
    Instant previousStartedAt;
    String previousContainerId;
    int restarts;
    /** Whether an attempt was ever started (restartCount counts restarts, not starts). */
    boolean started;
    Instant notBefore = Instant.EPOCH;
    int crashes;
    String waitingReason = "ContainerCreating";
    String waitingMessage;
    boolean ready;
    boolean startupPassed;
    int readinessSuccesses;
    int readinessFailures;
    int livenessFailures;
    int startupFailures;
    Instant nextReadiness = Instant.EPOCH;
    Instant nextLiveness = Instant.EPOCH;
    Instant nextStartup = Instant.EPOCH;
    /** Set when the agent itself stopped the container (liveness), so its exit is not a crash of the app alone. */
    String killedBecause;

    ContainerRecord(Container spec, boolean init) {
        this.spec = spec;
        this.init = init;
    }

    boolean runningNow() {
        return running != null && running.exit().isEmpty();
    }

    boolean succeeded() {
        return exit != null && exit.exitCode() == 0;
    }
}
