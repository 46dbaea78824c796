package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** core/v1 Events. There is no AGE column; NAME is a wide column. */
final class EventTable {

    static final KindTable TABLE = new KindTable(List.of(
            Columns.string("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            Columns.string("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            Columns.string("Reason", "This should be a short, machine understandable string that gives the"
                    + " reason for the transition into the object's current status."),
            Columns.string("Object", "The object that this event is about."),
            Columns.wide("Subobject", "If referring to a piece of an object instead of an entire object, this"
                    + " string should contain a valid JSON/Go field access statement."),
            Columns.wide("Source", "The component reporting this event."),
            Columns.string("Message", "A human-readable description of the status of this operation."),
            Columns.wide("First Seen", "The time at which the event was first recorded."),
            Columns.wide("Count", "The number of times this event has occurred."),
            new Column("Name", "string", "name", Columns.NAME_DOC, 1)),
            EventTable::cells);

    private EventTable() {
    }

    private static List<Object> cells(JsonNode event, Instant now) {
        // Events from the events.k8s.io API carry eventTime and series instead of the timestamps and count.
        Instant first = Fields.time(event, "firstTimestamp");
        String firstSeen = Durations.since(first != null ? first : Fields.time(event, "eventTime"), now);
        Instant last = Fields.time(event, "lastTimestamp");
        String lastSeen = last != null ? Durations.since(last, now) : firstSeen;
        long count = Fields.number(event, "count");
        if (Fields.present(event, "series")) {
            lastSeen = Durations.since(Fields.time(event, "series", "lastObservedTime"), now);
            count = Fields.number(event, "series", "count");
        } else if (count == 0) {
            count = 1;
        }
        return List.of(
                lastSeen,
                text(event, "type"),
                text(event, "reason"),
                involvedObject(event.path("involvedObject")),
                text(event, "involvedObject", "fieldPath"),
                source(event),
                text(event, "message").strip(),
                firstSeen,
                count,
                Fields.name(event));
    }

    /** "pod/web-1", or just "node" when the object has no name. */
    private static String involvedObject(JsonNode object) {
        String kind = text(object, "kind").toLowerCase(Locale.ROOT);
        String name = text(object, "name");
        return name.isEmpty() ? kind : kind + "/" + name;
    }

    /** "kubelet, node-1": the component and host, falling back to the reporting controller and instance. */
    private static String source(JsonNode event) {
        String component = Fields.orElse(text(event, "source", "component"), text(event, "reportingComponent"));
        String host = Fields.orElse(text(event, "source", "host"), text(event, "reportingInstance"));
        return host.isEmpty() ? component : component + ", " + host;
    }
}
