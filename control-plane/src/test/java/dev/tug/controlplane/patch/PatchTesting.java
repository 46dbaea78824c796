package dev.tug.controlplane.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Shared by the patch tests: JSON from text, and apply() calls that also prove the inputs stay unchanged. */
final class PatchTesting {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PatchTesting() {
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    /**
     * Applies a patch and asserts that neither input was changed and that the result shares no
     * object or list with them (so changing the result later cannot change them either).
     */
    static JsonNode apply(String contentType, JsonNode current, JsonNode patch, Class<?> type) throws PatchException {
        JsonNode currentBefore = current.deepCopy();
        JsonNode patchBefore = patch.deepCopy();
        JsonNode result = Patches.apply(contentType, current, patch, type);
        assertEquals(currentBefore, current, "the current object must not be mutated");
        assertEquals(patchBefore, patch, "the patch must not be mutated");
        Set<JsonNode> inputs = Collections.newSetFromMap(new IdentityHashMap<>());
        collectContainers(current, inputs);
        collectContainers(patch, inputs);
        Set<JsonNode> outputs = Collections.newSetFromMap(new IdentityHashMap<>());
        collectContainers(result, outputs);
        outputs.retainAll(inputs);
        assertTrue(outputs.isEmpty(), "the result shares nodes with the inputs: " + outputs);
        return result;
    }

    private static void collectContainers(JsonNode node, Set<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collectContainers(child, into));
        }
    }

    /** Asserts that applying fails with {@code kind}, that the inputs stay unchanged, and returns the failure. */
    static PatchException failure(PatchException.Kind kind, String contentType, JsonNode current, JsonNode patch,
                                  Class<?> type) {
        JsonNode currentBefore = current.deepCopy();
        JsonNode patchBefore = patch.deepCopy();
        PatchException e = assertThrows(PatchException.class, () -> Patches.apply(contentType, current, patch, type));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(currentBefore, current, "a failed patch must not mutate the current object");
        assertEquals(patchBefore, patch, "a failed patch must not mutate the patch");
        return e;
    }

    /** The values of {@code field} in each element of a JSON list, in order. */
    static List<String> values(JsonNode list, String field) {
        List<String> values = new ArrayList<>();
        list.forEach(element -> values.add(element.path(field).asText()));
        return values;
    }

    /** The text of each element of a JSON list of strings, in order. */
    static List<String> strings(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(element -> values.add(element.asText()));
        return values;
    }
}
