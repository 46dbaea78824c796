package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading {@code status.conditions}, which pods, nodes, Deployments and Jobs all carry. */
public final class Conditions {

    private Conditions() {
    }

    /** The condition of that type in a status, or null. */
    public static JsonNode find(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (type.equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return null;
    }

    public static boolean isTrue(JsonNode status, String type) {
        JsonNode condition = find(status, type);
        return condition != null && condition.path("status").asText().equals("True");
    }
}
