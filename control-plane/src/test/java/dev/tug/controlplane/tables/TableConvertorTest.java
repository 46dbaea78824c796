package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.TableFixtures.NOW;
import static dev.tug.controlplane.tables.TableFixtures.ago;
import static dev.tug.controlplane.tables.TableFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TableConvertorTest {

    private static final String POD = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"web-1\","
            + " \"namespace\": \"default\", \"uid\": \"u-1\", \"resourceVersion\": \"42\", \"labels\": {\"app\": \"web\"},"
            + " \"creationTimestamp\": \"" + ago(Duration.ofMinutes(5)) + "\"}, \"spec\": {\"containers\": [{\"name\":"
            + " \"app\", \"image\": \"nginx\"}]}, \"status\": {\"phase\": \"Succeeded\"}}";

    /** The headers kubectl prints (upper-cased column names), without and with -o wide. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "Namespace; NAME STATUS AGE; ''",
        "Node; NAME STATUS ROLES AGE VERSION; INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME",
        "Pod; NAME READY STATUS RESTARTS AGE; IP NODE NOMINATED NODE READINESS GATES",
        "ReplicationController; NAME DESIRED CURRENT READY AGE; CONTAINERS IMAGES SELECTOR",
        "ReplicaSet; NAME DESIRED CURRENT READY AGE; CONTAINERS IMAGES SELECTOR",
        "Deployment; NAME READY UP-TO-DATE AVAILABLE AGE; CONTAINERS IMAGES SELECTOR",
        "DaemonSet; NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE; CONTAINERS IMAGES SELECTOR",
        "Job; NAME STATUS COMPLETIONS DURATION AGE; CONTAINERS IMAGES SELECTOR",
        "CronJob; NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE; CONTAINERS IMAGES SELECTOR",
        "Service; NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE; SELECTOR",
        "Endpoints; NAME ENDPOINTS AGE; ''",
        "ConfigMap; NAME DATA AGE; ''",
        "Secret; NAME TYPE DATA AGE; ''",
        "ServiceAccount; NAME SECRETS AGE; ''",
        "Event; LAST SEEN TYPE REASON OBJECT MESSAGE; SUBOBJECT SOURCE FIRST SEEN COUNT NAME",
        "PersistentVolumeClaim; NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE; VOLUMEMODE",
        "Lease; NAME AGE; ''",
    })
    void columnsMatchKubectlHeaders(String kind, String defaultHeaders, String wideHeaders) {
        List<Column> columns = TableConvertor.columns(kind);

        assertEquals(defaultHeaders, headers(columns, 0));
        assertEquals(wideHeaders, headers(columns, 1));
    }

    @Test
    void eventWideColumnsSitBetweenTheDefaultOnes() {
        List<String> names = TableConvertor.columns("Event").stream().map(Column::name).toList();

        assertEquals(List.of("Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen",
                "Count", "Name"), names);
    }

    @Test
    void typesAndFormatsAreThoseKubernetesServes() {
        assertEquals(new Column("Name", "string", "name", Columns.NAME_DOC, 0), TableConvertor.columns("Pod").get(0));
        assertEquals("integer", TableConvertor.columns("ReplicaSet").get(1).type());
        assertEquals("string", TableConvertor.columns("Deployment").get(2).type());
        assertEquals("boolean", TableConvertor.columns("CronJob").get(3).type());
        assertEquals("date", TableConvertor.columns("Lease").get(1).type());
        assertEquals("name", TableConvertor.columns("Event").get(9).format());
        assertTrue(TableConvertor.columns("Service").stream().skip(1).allMatch(c -> c.format().isEmpty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Namespace", "Node", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
        "DaemonSet", "Job", "CronJob", "Service", "Endpoints", "ConfigMap", "Secret", "ServiceAccount", "Event",
        "PersistentVolumeClaim", "Widget"})
    void emptyOrNullObjectsGiveOneCellPerColumn(String kind) {
        int columns = TableConvertor.columns(kind).size();

        assertEquals(columns, TableConvertor.cells(kind, json("{}"), NOW).size());
        assertEquals(columns, TableConvertor.cells(kind, null, NOW).size());
        assertEquals(columns, TableConvertor.cells(kind, json("{\"metadata\": null, \"spec\": 3, \"status\": []}"),
                NOW).size());
    }

    @Test
    void unknownKindsGetNameAndAge() {
        assertEquals(List.of("lock", "5m"), TableConvertor.cells("Lease", json("{\"metadata\": {\"name\": \"lock\","
                + " \"creationTimestamp\": \"" + ago(Duration.ofMinutes(5)) + "\"}}"), NOW));
    }

    @Test
    void tableHasColumnsRowsAndPartialMetadataByDefault() {
        ObjectNode table = TableConvertor.table("Pod", List.of(json(POD)), NOW, true, null);

        assertEquals("Table", table.path("kind").asText());
        assertEquals("meta.k8s.io/v1", table.path("apiVersion").asText());
        assertTrue(table.path("metadata").isObject());
        JsonNode ready = table.path("columnDefinitions").get(1);
        assertEquals(json("{\"name\": \"Ready\", \"type\": \"string\", \"format\": \"\", \"description\":"
                + " \"The aggregate readiness state of this pod for accepting traffic.\", \"priority\": 0}"), ready);
        assertEquals(9, table.path("columnDefinitions").size());
        assertEquals(1, table.path("columnDefinitions").get(5).path("priority").asInt());

        JsonNode row = table.path("rows").get(0);
        assertEquals(json("[\"web-1\", \"0/1\", \"Succeeded\", \"0\", \"5m\", \"<none>\", \"<none>\", \"<none>\","
                + " \"<none>\"]"), row.path("cells"));
        JsonNode object = row.path("object");
        assertEquals("PartialObjectMetadata", object.path("kind").asText());
        assertEquals("meta.k8s.io/v1", object.path("apiVersion").asText());
        assertEquals(json(POD).path("metadata"), object.path("metadata"));
        assertFalse(object.has("spec"));
    }

    @Test
    void includeObjectChoosesWhatEachRowCarries() {
        JsonNode pod = json(POD);

        assertEquals(pod, TableConvertor.table("Pod", List.of(pod), NOW, true, "Object").path("rows").get(0).path("object"));
        assertEquals("PartialObjectMetadata", TableConvertor.table("Pod", List.of(pod), NOW, true, "Metadata")
                .path("rows").get(0).path("object").path("kind").asText());
        JsonNode none = TableConvertor.table("Pod", List.of(pod), NOW, true, "None").path("rows").get(0);
        assertTrue(none.has("object"));
        assertTrue(none.path("object").isNull());
    }

    @Test
    void unknownIncludeObjectIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TableConvertor.table("Pod", List.of(), NOW, true, "Everything"));

        assertEquals("unrecognized includeObject value: \"Everything\"", error.getMessage());
    }

    @Test
    void withoutColumnsTheDefinitionsAreNullAndRowsRemain() {
        ObjectNode table = TableConvertor.table("ConfigMap", List.of(json("{\"metadata\": {\"name\": \"a\"},"
                + " \"data\": {\"k\": \"v\"}}")), NOW, false, "None");

        assertTrue(table.has("columnDefinitions"));
        assertTrue(table.path("columnDefinitions").isNull());
        JsonNode cells = table.path("rows").get(0).path("cells");
        assertEquals("[\"a\",1,\"<unknown>\"]", cells.toString());
    }

    @Test
    void finishedPodsCarryACompletedRowCondition() {
        String running = POD.replace("Succeeded", "Running");

        ObjectNode table = TableConvertor.table("Pod", List.of(json(POD), json(running)), NOW, true, "None");

        assertEquals(json("[{\"type\": \"Completed\", \"status\": \"True\", \"reason\": \"Succeeded\","
                + " \"message\": \"The pod has completed successfully.\"}]"), table.path("rows").get(0).path("conditions"));
        assertFalse(table.path("rows").get(1).has("conditions"));
    }

    @Test
    void emptyListGivesNoRows() {
        ObjectNode table = TableConvertor.table("Service", List.of(), NOW, true, "Metadata");

        assertTrue(table.path("rows").isArray());
        assertEquals(0, table.path("rows").size());
        assertEquals(7, table.path("columnDefinitions").size());
    }

    private static String headers(List<Column> columns, int priority) {
        return columns.stream()
                .filter(c -> c.priority() == priority)
                .map(c -> c.name().toUpperCase(Locale.ROOT))
                .collect(Collectors.joining(" "));
    }
}
