package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.objects.ObjectMetadata;

import java.util.Optional;

/** Controller owner references: who controls an object, and the reference a controller stamps on what it makes. */
public final class Owners {

    private Owners() {
    }

    /** The owner reference marked {@code controller: true}, if any. */
    public static Optional<JsonNode> controller(JsonNode object) {
        for (JsonNode owner : object.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false)) {
                return Optional.of(owner);
            }
        }
        return Optional.empty();
    }

    public static boolean controlledBy(JsonNode object, JsonNode owner) {
        return controller(object).map(ref -> ref.path("uid").asText().equals(ObjectMetadata.uid(owner))).orElse(false);
    }

    /** The reference a controller puts on an object it creates or adopts. */
    public static ObjectNode reference(JsonNode owner) {
        ObjectNode ref = Json.object();
        ref.put("apiVersion", owner.path("apiVersion").asText());
        ref.put("kind", owner.path("kind").asText());
        ref.put("name", ObjectMetadata.name(owner));
        ref.put("uid", ObjectMetadata.uid(owner));
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        return ref;
    }

    /** Makes {@code owner} the controller of {@code object} (which must have none). */
    public static ObjectNode adopt(ObjectNode object, JsonNode owner) {
        Json.metadata(object).withArray("ownerReferences").add(reference(owner));
        return object;
    }

    /** Removes {@code owner}'s reference from {@code object}: the object no longer matches it. */
    public static ObjectNode release(ObjectNode object, JsonNode owner) {
        var refs = Json.metadata(object).withArray("ownerReferences");
        for (int i = refs.size() - 1; i >= 0; i--) {
            if (refs.get(i).path("uid").asText().equals(ObjectMetadata.uid(owner))) {
                refs.remove(i);
            }
        }
        if (refs.isEmpty()) {
            Json.metadata(object).remove("ownerReferences");
        }
        return object;
    }
}
