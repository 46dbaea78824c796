package dev.tug.controlplane.store;

import dev.tug.controlplane.store.Store.Event;
import dev.tug.controlplane.store.Store.EventType;
import dev.tug.controlplane.store.Store.KeyValue;

/** How a row of the {@code log} table maps to an {@link Event}, in one place for writer and readers. */
final class LogEntry {
    private LogEntry() {
    }

    /**
     * @param value the new value; ignored for a delete, whose event carries the last value
     * @param previousValue null for a create
     */
    static Event event(EventType type, String key, byte[] value, long createRevision, long revision,
            byte[] previousValue, long previousRevision) {
        KeyValue previous = type == EventType.CREATED
                ? null
                : new KeyValue(key, previousValue, createRevision, previousRevision);
        byte[] current = type == EventType.DELETED ? previousValue : value;
        return new Event(type, new KeyValue(key, current, createRevision, revision), previous);
    }
}
