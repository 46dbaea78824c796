package dev.tug.engine;

import java.util.List;

/** What the engine found and did for one task. */
public record Outcome(Task task, Action action, Fields desired, List<Change> changes, String id, String error) {
    public enum Action {
        /** does not exist; created with --yes */
        CREATE,
        /** exists with fields that differ; changed with --yes */
        MODIFY,
        /** exists as the spec wants */
        NONE,
        /** finding or changing it failed */
        FAILED,
        /** not attempted because a task it depends on failed */
        SKIPPED
    }

    public boolean failed() {
        return action == Action.FAILED || action == Action.SKIPPED;
    }

    public boolean wouldChange() {
        return action == Action.CREATE || action == Action.MODIFY;
    }
}
