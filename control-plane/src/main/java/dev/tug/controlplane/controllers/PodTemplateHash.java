package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;

import java.nio.charset.StandardCharsets;

/**
 * The {@code pod-template-hash} label: a 32-bit FNV-1a hash of the pod template (and the
 * collision count), written in the consonant-and-digit alphabet Kubernetes uses so the value
 * can never spell a word.
 */
public final class PodTemplateHash {

    public static final String LABEL = "pod-template-hash";
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final com.fasterxml.jackson.databind.ObjectMapper SORTED = Json.MAPPER.copy()
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private PodTemplateHash() {
    }

    public static String of(JsonNode template, int collisionCount) {
        int hash = 0x811c9dc5;
        byte[] bytes = (canonical(template) + (collisionCount > 0 ? "#" + collisionCount : "")).getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        String decimal = Long.toString(Integer.toUnsignedLong(hash));
        StringBuilder encoded = new StringBuilder();
        for (char c : decimal.toCharArray()) {
            encoded.append(ALPHABET.charAt(c % ALPHABET.length()));
        }
        return encoded.toString();
    }

    /** The template without the hash label, so templates that differ only by it compare equal. */
    public static ObjectNode withoutHash(JsonNode template) {
        ObjectNode copy = template.deepCopy();
        JsonNode labels = copy.path("metadata").path("labels");
        if (labels.isObject()) {
            ((ObjectNode) labels).remove(LABEL);
        }
        return copy;
    }

    /** Sorted keys, so the hash does not depend on field order. */
    private static String canonical(JsonNode template) {
        try {
            Object tree = Json.MAPPER.treeToValue(template, Object.class);
            return SORTED.writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
