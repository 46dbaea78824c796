package dev.tug.controlplane.scheduler;

import com.fasterxml.jackson.databind.JsonNode;

/** Kubernetes' toleration matching: key and effect, Equal on the value or Exists. */
public final class Tolerations {

    private Tolerations() {
    }

    public static boolean tolerates(JsonNode pod, JsonNode taint) {
        for (JsonNode toleration : pod.path("spec").path("tolerations")) {
            if (matches(toleration, taint)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(JsonNode toleration, JsonNode taint) {
        String effect = toleration.path("effect").asText("");
        if (!effect.isEmpty() && !effect.equals(taint.path("effect").asText())) {
            return false;
        }
        String key = toleration.path("key").asText("");
        String operator = toleration.path("operator").asText("Equal");
        if (key.isEmpty()) {
            return operator.equals("Exists");
        }
        if (!key.equals(taint.path("key").asText())) {
            return false;
        }
        return operator.equals("Exists") || toleration.path("value").asText("").equals(taint.path("value").asText(""));
    }
}
