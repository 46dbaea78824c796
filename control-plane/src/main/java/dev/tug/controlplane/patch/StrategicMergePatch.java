package dev.tug.controlplane.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes strategic merge patch, applied the way the API server applies what kubectl
 * ({@code apply}, {@code edit}, {@code patch}, {@code set image}, {@code rollout ...}) sends:
 *
 * <ul>
 *   <li>objects merge recursively and {@code null} removes a key, as in JSON merge patch;</li>
 *   <li>lists tagged {@code merge} with a merge key merge element by element, matched on that key;
 *       lists tagged {@code merge} without one are sets of primitives; other lists are replaced;</li>
 *   <li>directives: {@code $patch} (replace/delete/merge) on an object or as a list element,
 *       {@code $deleteFromPrimitiveList/<f>}, {@code $setElementOrder/<f>} and {@code $retainKeys}.
 *       They never reach the result; other keys starting with {@code $} are ordinary fields.</li>
 * </ul>
 *
 * The current object is deep-copied once and the copy is changed in place; the patch is only read.
 */
final class StrategicMergePatch {

    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private StrategicMergePatch() {
    }

    static JsonNode apply(JsonNode current, JsonNode patch, Class<?> type) throws PatchException {
        if (!patch.isObject()) {
            throw PatchException.badRequest("a strategic merge patch must be a JSON object, not " + describe(patch));
        }
        ObjectNode target = current.isObject() ? ((ObjectNode) current).deepCopy() : emptyObject();
        ObjectNode result = mergeObject(target, (ObjectNode) patch, ObjectSchema.of(type), "");
        if (result == null) {
            throw PatchException.unprocessable("$patch: delete cannot remove the whole object; use DELETE");
        }
        return result;
    }

    /** Merges {@code patch} into {@code target} (which this owns); returns null when the patch deletes it. */
    private static ObjectNode mergeObject(ObjectNode target, ObjectNode patch, ObjectSchema schema, String path)
            throws PatchException {
        String directive = directiveOf(patch, path);
        if ("delete".equals(directive)) {
            return null;
        }
        if ("replace".equals(directive)) {
            target = emptyObject();
        }

        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getKey().startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                String name = field.getKey().substring(DELETE_FROM_PRIMITIVE_LIST.length());
                deleteFromList(target, name, field.getValue(), join(path, field.getKey()));
            }
        }

        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String name = field.getKey();
            if (!isDirective(name)) {
                mergeField(target, name, field.getValue(), schema, join(path, name));
            }
        }

        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getKey().startsWith(SET_ELEMENT_ORDER)) {
                String name = field.getKey().substring(SET_ELEMENT_ORDER.length());
                orderList(target, name, field.getValue(), schema.strategy(name), join(path, field.getKey()));
            }
        }

        JsonNode retainKeys = patch.get(RETAIN_KEYS);
        if (retainKeys != null) {
            retainOnly(target, patch, retainKeys, join(path, RETAIN_KEYS));
        }
        return target;
    }

    private static void mergeField(ObjectNode target, String name, JsonNode value, ObjectSchema schema, String path)
            throws PatchException {
        JsonNode existing = target.get(name);
        if (value.isNull()) {
            target.remove(name);
        } else if (value.isObject()) {
            // Something that is not an object yet is replaced: merging into an empty object does that
            // and also strips directives from the patch value.
            ObjectNode base = existing != null && existing.isObject() ? (ObjectNode) existing : emptyObject();
            ObjectNode merged = mergeObject(base, (ObjectNode) value, schema.field(name), path);
            if (merged == null) {
                target.remove(name);
            } else {
                target.set(name, merged);
            }
        } else if (value.isArray()) {
            ArrayNode base = existing != null && existing.isArray() ? (ArrayNode) existing : emptyArray();
            target.set(name, mergeList(base, (ArrayNode) value, schema.strategy(name), schema.field(name), path));
        } else {
            target.set(name, value.deepCopy());
        }
    }

    /** Merges a patch list into {@code target} (which this owns) and returns the result. */
    private static ArrayNode mergeList(ArrayNode target, ArrayNode patch, FieldStrategy strategy,
                                       ObjectSchema elementSchema, String path) throws PatchException {
        if (!strategy.mergeList()) {
            return patch.deepCopy();
        }
        if (containsReplaceDirective(patch, path)) {
            return replaceList(patch, elementSchema, path);
        }
        if (strategy.mergeKey() == null) {
            return mergeSet(target, patch, path);
        }
        String mergeKey = strategy.mergeKey();
        for (int i = 0; i < patch.size(); i++) {
            JsonNode element = patch.get(i);
            String elementPath = path + "[" + i + "]";
            if (!element.isObject()) {
                throw PatchException.unprocessable(elementPath + ": expected an object with merge key \""
                        + mergeKey + "\", got " + describe(element));
            }
            JsonNode key = element.get(mergeKey);
            if (key == null || key.isNull()) {
                throw PatchException.unprocessable(elementPath + ": does not contain the merge key \"" + mergeKey + "\"");
            }
            String directive = directiveOf((ObjectNode) element, elementPath);
            if ("delete".equals(directive)) {
                removeMatching(target, mergeKey, key);
                continue;
            }
            int match = indexOf(target, mergeKey, key);
            ObjectNode base = match >= 0 && target.get(match).isObject() ? (ObjectNode) target.get(match) : emptyObject();
            ObjectNode merged = mergeObject(base, (ObjectNode) element, elementSchema, elementPath);
            if (match >= 0) {
                target.set(match, merged);
            } else {
                target.add(merged);
            }
        }
        return target;
    }

    /** A list with an element {@code {"$patch": "replace"}} is replaced by its other elements. */
    private static boolean containsReplaceDirective(ArrayNode patch, String path) throws PatchException {
        for (JsonNode element : patch) {
            if (element.isObject() && "replace".equals(directiveOf((ObjectNode) element, path))) {
                return true;
            }
        }
        return false;
    }

    private static ArrayNode replaceList(ArrayNode patch, ObjectSchema elementSchema, String path) throws PatchException {
        ArrayNode result = emptyArray();
        for (JsonNode element : patch) {
            if (!element.isObject()) {
                result.add(element.deepCopy());
            } else if (!"replace".equals(directiveOf((ObjectNode) element, path))) {
                ObjectNode merged = mergeObject(emptyObject(), (ObjectNode) element, elementSchema, path);
                if (merged != null) {
                    result.add(merged);
                }
            }
        }
        return result;
    }

    /** Primitive lists tagged merge are sets: keep what is there (without duplicates), add what is new. */
    private static ArrayNode mergeSet(ArrayNode target, ArrayNode patch, String path) throws PatchException {
        ArrayNode result = emptyArray();
        Set<JsonNode> seen = new HashSet<>();
        for (JsonNode element : target) {
            if (seen.add(element)) {
                result.add(element);
            }
        }
        for (JsonNode element : patch) {
            if (element.isContainerNode()) {
                throw PatchException.unprocessable(path + ": expected a list of primitives, got " + describe(element));
            }
            if (seen.add(element)) {
                result.add(element.deepCopy());
            }
        }
        return result;
    }

    private static void deleteFromList(ObjectNode target, String name, JsonNode values, String path)
            throws PatchException {
        if (!values.isArray()) {
            throw PatchException.unprocessable(path + ": expected a list, got " + describe(values));
        }
        JsonNode list = target.get(name);
        if (list == null || !list.isArray()) {
            return;
        }
        Set<JsonNode> unwanted = new HashSet<>();
        values.forEach(unwanted::add);
        ArrayNode kept = emptyArray();
        for (JsonNode element : list) {
            if (!unwanted.contains(element)) {
                kept.add(element);
            }
        }
        target.set(name, kept);
    }

    /**
     * {@code $setElementOrder/<f>}: the elements it names come first, in its order; elements it does
     * not name (added on the server side) follow in their current order. Names without an element
     * are ignored. For lists of objects the directive holds {@code {mergeKey: value}} stubs.
     */
    private static void orderList(ObjectNode target, String name, JsonNode order, FieldStrategy strategy, String path)
            throws PatchException {
        if (!order.isArray()) {
            throw PatchException.unprocessable(path + ": expected a list, got " + describe(order));
        }
        JsonNode list = target.get(name);
        if (list == null || !list.isArray()) {
            return;
        }
        List<JsonNode> remaining = new ArrayList<>();
        list.forEach(remaining::add);
        ArrayNode ordered = emptyArray();
        for (JsonNode wanted : order) {
            JsonNode wantedKey = identity(wanted, strategy.mergeKey());
            for (int i = 0; i < remaining.size(); i++) {
                if (wantedKey.equals(identity(remaining.get(i), strategy.mergeKey()))) {
                    ordered.add(remaining.remove(i));
                    break;
                }
            }
        }
        remaining.forEach(ordered::add);
        target.set(name, ordered);
    }

    /** What identifies a list element: its merge key's value, or the element itself. */
    private static JsonNode identity(JsonNode element, String mergeKey) {
        if (mergeKey != null && element.isObject()) {
            return element.path(mergeKey);
        }
        return element;
    }

    /**
     * {@code $retainKeys} (union types such as a deployment strategy or a volume source): after
     * merging, only the listed keys remain. Like the Kubernetes server, this rejects a patch that sets
     * keys it does not list.
     */
    private static void retainOnly(ObjectNode target, ObjectNode patch, JsonNode retainKeys, String path)
            throws PatchException {
        if (!retainKeys.isArray()) {
            throw PatchException.unprocessable(path + ": expected a list of field names, got " + describe(retainKeys));
        }
        Set<String> retained = new HashSet<>();
        for (JsonNode key : retainKeys) {
            if (!key.isTextual()) {
                throw PatchException.unprocessable(path + ": expected a list of field names, got " + describe(key));
            }
            retained.add(key.asText());
        }
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String key = field.getKey();
            if (!isDirective(key) && !field.getValue().isNull() && !retained.contains(key)) {
                throw PatchException.unprocessable(path + ": the patch sets \"" + key + "\" but does not retain it");
            }
        }
        target.retain(retained);
    }

    private static boolean isDirective(String key) {
        return key.equals(PATCH) || key.equals(RETAIN_KEYS)
                || key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    }

    private static String directiveOf(ObjectNode patch, String path) throws PatchException {
        JsonNode directive = patch.get(PATCH);
        if (directive == null) {
            return null;
        }
        String value = directive.asText();
        if (!directive.isTextual() || !(value.equals("replace") || value.equals("delete") || value.equals("merge"))) {
            throw PatchException.unprocessable(join(path, PATCH) + ": unknown patch type " + directive
                    + " (expected replace, delete or merge)");
        }
        return value;
    }

    private static int indexOf(ArrayNode list, String mergeKey, JsonNode key) {
        for (int i = 0; i < list.size(); i++) {
            if (key.equals(list.get(i).get(mergeKey))) {
                return i;
            }
        }
        return -1;
    }

    /** Removes every element with this key: a list may hold duplicates written by other clients. */
    private static void removeMatching(ArrayNode list, String mergeKey, JsonNode key) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (key.equals(list.get(i).get(mergeKey))) {
                list.remove(i);
            }
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return node.getNodeType().name().toLowerCase() + " " + (text.length() > 80 ? text.substring(0, 77) + "..." : text);
    }

    private static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static ArrayNode emptyArray() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
