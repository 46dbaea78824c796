package dev.tug.controlplane.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** JSON merge patch (RFC 7396): objects merge recursively, {@code null} removes a key, anything else replaces. */
final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /** Returns the patched document; neither argument is changed. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        // One deep copy up front, then merge in place: copying at every level would be quadratic.
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        mergeInto(result, (ObjectNode) patch);
        return result;
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject()) {
                JsonNode existing = target.get(name);
                ObjectNode child = existing != null && existing.isObject()
                        ? (ObjectNode) existing
                        : JsonNodeFactory.instance.objectNode();
                mergeInto(child, (ObjectNode) value);
                target.set(name, child);
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }
}
