package dev.tug.controlplane.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Server-side tables (meta.k8s.io/v1 {@code Table}) for {@code kubectl get}: the columns
 * Kubernetes' own printers serve for each kind, and the cells of each object.
 *
 * <p>Like kube-apiserver, every row carries the -o wide cells too; kubectl drops the columns of
 * priority 1 unless asked for them.
 */
public final class TableConvertor {

    private static final Map<String, KindTable> TABLES = Map.ofEntries(
            Map.entry("Namespace", ClusterTables.NAMESPACE),
            Map.entry("Node", ClusterTables.NODE),
            Map.entry("Pod", PodTable.TABLE),
            Map.entry("ReplicationController", WorkloadTables.REPLICATION_CONTROLLER),
            Map.entry("ReplicaSet", WorkloadTables.REPLICA_SET),
            Map.entry("Deployment", WorkloadTables.DEPLOYMENT),
            Map.entry("DaemonSet", WorkloadTables.DAEMON_SET),
            Map.entry("Job", WorkloadTables.JOB),
            Map.entry("CronJob", WorkloadTables.CRON_JOB),
            Map.entry("Service", ServiceTables.SERVICE),
            Map.entry("Endpoints", ServiceTables.ENDPOINTS),
            Map.entry("EndpointSlice", ServiceTables.ENDPOINT_SLICE),
            Map.entry("ConfigMap", ConfigTables.CONFIG_MAP),
            Map.entry("Secret", ConfigTables.SECRET),
            Map.entry("ServiceAccount", ConfigTables.SERVICE_ACCOUNT),
            Map.entry("Event", EventTable.TABLE),
            Map.entry("PersistentVolumeClaim", VolumeClaimTable.TABLE));

    /** Any other kind: a name and an age, like a custom resource without printer columns. */
    private static final KindTable GENERIC = new KindTable(
            List.of(Columns.NAME, new Column("Age", "date", "", Columns.CREATION_DOC, 0)),
            (object, now) -> List.of(Fields.name(object), Fields.age(object, now)));

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TableConvertor() {
    }

    /** Column definitions for a kind (e.g. "Pod"), in kubectl's order; unknown kinds get Name and Age. */
    public static List<Column> columns(String kind) {
        return tableOf(kind).columns();
    }

    /** The cells of one row, one per column: String, Long or Boolean. Missing fields never throw. */
    public static List<Object> cells(String kind, JsonNode object, Instant now) {
        return tableOf(kind).cellsOf(object, now);
    }

    /**
     * A whole {@code Table}. {@code metadata} is left empty for the caller (resourceVersion,
     * continue). Without {@code includeColumns} (watch events after the first) columnDefinitions
     * is null, as Kubernetes sends it. {@code includeObject} is "None", "Metadata" (also for null
     * or "") or "Object", the values of the includeObject query parameter.
     *
     * @throws IllegalArgumentException for any other includeObject (Kubernetes answers 400)
     */
    public static ObjectNode table(String kind, List<JsonNode> objects, Instant now, boolean includeColumns,
            String includeObject) {
        IncludeObject include = IncludeObject.parse(includeObject);
        KindTable kindTable = tableOf(kind);
        ObjectNode table = JSON.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata");
        if (includeColumns) {
            ArrayNode columns = table.putArray("columnDefinitions");
            kindTable.columns().forEach(column -> columns.add(columnJson(column)));
        } else {
            table.putNull("columnDefinitions");
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            kindTable.cellsOf(object, now).forEach(cell -> cells.add(cellJson(cell)));
            ArrayNode conditions = kindTable.conditions().apply(Fields.orMissing(object));
            if (conditions != null) {
                row.set("conditions", conditions);
            }
            row.set("object", include.render(object));
        }
        return table;
    }

    private static KindTable tableOf(String kind) {
        return TABLES.getOrDefault(kind == null ? "" : kind, GENERIC);
    }

    private static ObjectNode columnJson(Column column) {
        return JSON.objectNode()
                .put("name", column.name())
                .put("type", column.type())
                .put("format", column.format())
                .put("description", column.description())
                .put("priority", column.priority());
    }

    private static JsonNode cellJson(Object cell) {
        if (cell instanceof String text) {
            return JSON.textNode(text);
        }
        if (cell instanceof Long number) {
            return JSON.numberNode(number);
        }
        if (cell instanceof Integer number) {
            return JSON.numberNode(number);
        }
        if (cell instanceof Boolean flag) {
            return JSON.booleanNode(flag);
        }
        return JSON.nullNode();
    }

    /** What each row's {@code object} holds. */
    private enum IncludeObject {
        NONE, METADATA, OBJECT;

        static IncludeObject parse(String value) {
            if (value == null || value.isEmpty() || value.equals("Metadata")) {
                return METADATA;
            }
            if (value.equals("None")) {
                return NONE;
            }
            if (value.equals("Object")) {
                return OBJECT;
            }
            throw new IllegalArgumentException("unrecognized includeObject value: \"" + value + "\"");
        }

        /** The row's object; JSON null for None, as Kubernetes sends it. */
        JsonNode render(JsonNode object) {
            switch (this) {
                case OBJECT:
                    return object == null ? JSON.nullNode() : object;
                case METADATA:
                    ObjectNode partial = JSON.objectNode();
                    partial.put("kind", "PartialObjectMetadata");
                    partial.put("apiVersion", "meta.k8s.io/v1");
                    partial.set("metadata", Fields.at(object, "metadata").isObject()
                            ? Fields.at(object, "metadata").deepCopy() : JSON.objectNode());
                    return partial;
                default:
                    return JSON.nullNode();
            }
        }
    }
}
