package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.TableFixtures.ago;
import static dev.tug.controlplane.tables.TableFixtures.cells;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTableTest {

    @Test
    void coreEventShowsTimesObjectSourceAndCount() {
        String event = "{\"metadata\": {\"name\": \"web-1.17d2\"}, \"type\": \"Normal\", \"reason\": \"Pulled\","
                + " \"message\": \" Container image \\\"nginx:1.27\\\" already present on machine\\n\","
                + " \"involvedObject\": {\"kind\": \"Pod\", \"name\": \"web-1\", \"fieldPath\": \"spec.containers{nginx}\"},"
                + " \"source\": {\"component\": \"kubelet\", \"host\": \"node-a\"}, \"count\": 3,"
                + " \"firstTimestamp\": \"" + ago(Duration.ofSeconds(312)) + "\","
                + " \"lastTimestamp\": \"" + ago(Duration.ofSeconds(45)) + "\"}";

        assertEquals(List.of("45s", "Normal", "Pulled", "pod/web-1", "spec.containers{nginx}", "kubelet, node-a",
                "Container image \"nginx:1.27\" already present on machine", "5m12s", 3L, "web-1.17d2"),
                cells("Event", event));
    }

    @Test
    void seriesEventUsesEventTimeAndReportingFields() {
        String event = "{\"metadata\": {\"name\": \"e\"}, \"type\": \"Warning\", \"reason\": \"FailedScheduling\","
                + " \"message\": \"0/3 nodes are available\", \"involvedObject\": {\"kind\": \"Pod\", \"name\": \"p\"},"
                + " \"reportingComponent\": \"default-scheduler\", \"reportingInstance\": \"default-scheduler-cp-1\","
                + " \"eventTime\": \"" + ago(Duration.ofMinutes(20)).replace("Z", ".123456Z") + "\","
                + " \"series\": {\"count\": 7, \"lastObservedTime\": \"" + ago(Duration.ofSeconds(30)) + "\"}}";

        assertEquals(List.of("30s", "Warning", "FailedScheduling", "pod/p", "", "default-scheduler, default-scheduler-cp-1",
                "0/3 nodes are available", "19m", 7L, "e"), cells("Event", event));
    }

    @Test
    void singletonEventWithoutTimesOrNamedObject() {
        String event = "{\"metadata\": {\"name\": \"e\"}, \"involvedObject\": {\"kind\": \"Node\"},"
                + " \"source\": {\"component\": \"tug\"}}";

        assertEquals(List.of("<unknown>", "", "", "node", "", "tug", "", "<unknown>", 1L, "e"), cells("Event", event));
    }

    @Test
    void lastSeenFallsBackToFirstSeen() {
        String event = "{\"firstTimestamp\": \"" + ago(Duration.ofHours(3)) + "\", \"count\": 1}";

        assertEquals("3h", cells("Event", event).get(0));
    }
}
