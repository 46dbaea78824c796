package dev.tug.engine;

import java.util.List;
import java.util.Optional;

/** A task that only has a key and dependencies, for tests of the graph and the report that never run it. */
record StubTask(String type, String name, List<String> dependsOn) implements Task {
    static StubTask of(String key, String... dependsOn) {
        String[] parts = key.split("/", 2);
        return new StubTask(parts[0], parts[1], List.of(dependsOn));
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Fields desired(TaskContext context) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        throw new UnsupportedOperationException();
    }
}
