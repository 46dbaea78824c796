package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.tables.TableConvertor;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the client asked to get back, read from its Accept header: the objects themselves,
 * a server-side {@code Table} (what {@code kubectl get} prints), or only their metadata
 * ({@code PartialObjectMetadata}).
 */
final class Representation {

    enum Form { OBJECT, TABLE, METADATA }

    private final Form form;
    private final String tableVersion;
    private final String includeObject;
    private final Clock clock;

    private Representation(Form form, String tableVersion, String includeObject, Clock clock) {
        this.form = form;
        this.tableVersion = tableVersion;
        this.includeObject = includeObject;
        this.clock = clock;
    }

    static Representation negotiate(String accept, String includeObject, Clock clock) {
        if (accept != null) {
            // the first acceptable media range wins, as the client listed them by preference
            for (String range : accept.split(",")) {
                String r = range.replace(" ", "");
                if (r.contains("as=Table") && r.contains("g=meta.k8s.io")) {
                    return new Representation(Form.TABLE, r.contains("v=v1beta1") ? "v1beta1" : "v1",
                            includeObject == null || includeObject.isEmpty() ? "Metadata" : includeObject, clock);
                }
                if (r.contains("as=PartialObjectMetadata") && r.contains("g=meta.k8s.io")) {
                    return new Representation(Form.METADATA, "v1", "Metadata", clock);
                }
                if (r.startsWith("application/json") || r.startsWith("*/*") || r.startsWith("application/*")) {
                    break;
                }
            }
        }
        return new Representation(Form.OBJECT, "v1", "Object", clock);
    }

    String contentType() {
        return switch (form) {
            case TABLE -> "application/json;as=Table;v=" + tableVersion + ";g=meta.k8s.io";
            case METADATA -> "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";
            case OBJECT -> "application/json";
        };
    }

    JsonNode single(ResourceType type, ObjectNode object) {
        return switch (form) {
            case TABLE -> table(type, List.of(object), true, versionOf(object));
            case METADATA -> partial(object);
            case OBJECT -> object;
        };
    }

    JsonNode list(ResourceType type, List<ObjectNode> items, long revision) {
        String version = Long.toString(revision);
        if (form == Form.TABLE) {
            return table(type, items, true, version);
        }
        ObjectNode list = Json.object();
        if (form == Form.METADATA) {
            list.put("kind", "PartialObjectMetadataList").put("apiVersion", "meta.k8s.io/v1");
        } else {
            list.put("kind", type.kind() + "List").put("apiVersion", type.apiVersion());
        }
        list.putObject("metadata").put("resourceVersion", version);
        ArrayNode array = list.putArray("items");
        items.forEach(item -> array.add(form == Form.METADATA ? partial(item) : item));
        return list;
    }

    /** A renderer for watch events: tables carry their column definitions only in the first event. */
    java.util.function.Function<ObjectNode, JsonNode> forWatch(ResourceType type) {
        if (form != Form.TABLE) {
            return object -> form == Form.METADATA ? partial(object) : object;
        }
        boolean[] first = {true};
        return object -> {
            JsonNode table = table(type, List.of(object), first[0], versionOf(object));
            first[0] = false;
            return table;
        };
    }

    private ObjectNode table(ResourceType type, List<ObjectNode> items, boolean columns, String version) {
        ObjectNode table;
        try {
            table = TableConvertor.table(type.kind(), List.copyOf(items), Instant.now(clock), columns, includeObject);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        table.put("apiVersion", "meta.k8s.io/" + tableVersion);
        table.withObjectProperty("metadata").put("resourceVersion", version);
        return table;
    }

    private static ObjectNode partial(ObjectNode object) {
        ObjectNode partial = Json.object().put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata").deepCopy());
        return partial;
    }

    /** The resourceVersion of one object, for the Table that wraps it. */
    private static String versionOf(ObjectNode object) {
        return Objects.requireNonNullElse(ObjectMetadata.resourceVersion(object), "");
    }
}
