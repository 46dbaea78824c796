package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code /openapi/v3}: the root index and one document per group version, describing the write
 * operations with the query parameters they accept. kubectl reads them to learn that the server
 * validates fields itself ({@code fieldValidation}), so it sends {@code fieldValidation=Strict}
 * and leaves schema checks to the server instead of downloading schemas.
 */
final class OpenApi {

    private static final List<String> WRITE_PARAMETERS = List.of("dryRun", "fieldManager", "fieldValidation");

    private final Map<String, List<ResourceType>> groupVersions = ApiResources.byGroupVersion();

    /** The document at {@code /openapi/<path>}, or null when there is none. */
    JsonNode document(List<String> path) {
        if (path.equals(List.of("v3"))) {
            return root();
        }
        if (path.size() >= 3 && path.get(0).equals("v3")) {
            String urlPath = String.join("/", path.subList(1, path.size()));
            String groupVersion = urlPath.equals("api/v1") ? "v1" : urlPath.startsWith("apis/") ? urlPath.substring(5) : null;
            List<ResourceType> types = groupVersion == null ? null : groupVersions.get(groupVersion);
            return types == null ? null : groupVersionDocument(types);
        }
        return null;
    }

    private ObjectNode root() {
        ObjectNode root = Json.object();
        ObjectNode paths = root.putObject("paths");
        for (Map.Entry<String, List<ResourceType>> entry : groupVersions.entrySet()) {
            String urlPath = entry.getKey().contains("/") ? "apis/" + entry.getKey() : "api/" + entry.getKey();
            paths.putObject(urlPath).put("serverRelativeURL", "/openapi/v3/" + urlPath + "?hash="
                    + hash(groupVersionDocument(entry.getValue())));
        }
        return root;
    }

    private static ObjectNode groupVersionDocument(List<ResourceType> types) {
        ObjectNode doc = Json.object().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        for (ResourceType type : types) {
            String base = (type.group().isEmpty() ? "/api/" : "/apis/" + type.group() + "/") + type.version()
                    + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
            ObjectNode collection = paths.putObject(base);
            collection.set("post", operation(type, "create"));
            ObjectNode item = paths.putObject(base + "/{name}");
            item.set("put", operation(type, "replace"));
            item.set("patch", operation(type, "patch"));
        }
        doc.putObject("components").putObject("schemas");
        return doc;
    }

    private static ObjectNode operation(ResourceType type, String verb) {
        ObjectNode operation = Json.object().put("operationId", verb + type.kind());
        operation.putObject("x-kubernetes-group-version-kind").put("group", type.group())
                .put("version", type.version()).put("kind", type.kind());
        ArrayNode parameters = operation.putArray("parameters");
        for (String name : WRITE_PARAMETERS) {
            parameters.addObject().put("name", name).put("in", "query").putObject("schema").put("type", "string");
        }
        operation.putObject("responses").putObject("200").put("description", "OK");
        return operation;
    }

    private static String hash(JsonNode doc) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(Json.bytes(doc));
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
