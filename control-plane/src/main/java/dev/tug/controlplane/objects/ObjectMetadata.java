package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small readers and writers for the {@code metadata} of an object held as JSON. */
public final class ObjectMetadata {

    /** Kubernetes' generateName alphabet: no vowels (no words), no look-alike characters. */
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ObjectMetadata() {
    }

    public static String name(JsonNode object) {
        return Json.text(object, "metadata", "name");
    }

    public static String namespace(JsonNode object) {
        return Json.text(object, "metadata", "namespace");
    }

    public static String uid(JsonNode object) {
        return Json.text(object, "metadata", "uid");
    }

    public static String resourceVersion(JsonNode object) {
        return Json.text(object, "metadata", "resourceVersion");
    }

    public static boolean deleting(JsonNode object) {
        return Json.text(object, "metadata", "deletionTimestamp") != null;
    }

    public static Map<String, String> labels(JsonNode object) {
        return stringMap(object.path("metadata").path("labels"));
    }

    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> result = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
        return result;
    }

    public static List<String> finalizers(JsonNode object) {
        List<String> result = new ArrayList<>();
        object.path("metadata").path("finalizers").forEach(f -> result.add(f.asText()));
        return result;
    }

    public static void setFinalizers(ObjectNode object, List<String> finalizers) {
        ObjectNode meta = Json.metadata(object);
        if (finalizers.isEmpty()) {
            meta.remove("finalizers");
        } else {
            ArrayNode array = meta.putArray("finalizers");
            finalizers.forEach(array::add);
        }
    }

    /** The owner UIDs listed in {@code metadata.ownerReferences}. */
    public static List<String> ownerUids(JsonNode object) {
        List<String> result = new ArrayList<>();
        object.path("metadata").path("ownerReferences").forEach(ref -> result.add(ref.path("uid").asText()));
        return result;
    }

    public static String now(Clock clock) {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static String generatedName(String prefix) {
        StringBuilder name = new StringBuilder(prefix);
        for (int i = 0; i < 5; i++) {
            name.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        }
        return name.toString();
    }
}
