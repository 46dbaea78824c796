package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;

/**
 * A Job's {@code status.conditions}. Since Kubernetes 1.31 a Job first gets an interim condition
 * ({@code SuccessCriteriaMet} or {@code FailureTarget}) and the final one ({@code Complete} or
 * {@code Failed}) only once its pods are gone; clients wait for the final ones.
 */
final class JobConditions {

    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
    static final String FAILURE_TARGET = "FailureTarget";
    static final String SUSPENDED = "Suspended";

    private JobConditions() {
    }

    /** "Complete" or "Failed" once the Job finished for good, else null. */
    static String finishedAs(JsonNode job) {
        JsonNode status = job.path("status");
        return Conditions.isTrue(status, COMPLETE) ? COMPLETE : Conditions.isTrue(status, FAILED) ? FAILED : null;
    }

    /**
     * Sets a condition as Kubernetes' {@code ensureJobConditionStatus} does: a change restamps it,
     * and a False condition is not added where there was none. Returns whether anything changed.
     */
    static boolean set(ObjectNode status, String type, String state, String reason, String message, String now) {
        ArrayNode conditions = status.withArray("conditions");
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode existing = conditions.get(i);
            if (type.equals(existing.path("type").asText())) {
                if (state.equals(existing.path("status").asText()) && reason.equals(existing.path("reason").asText())
                        && message.equals(existing.path("message").asText())) {
                    return false;
                }
                conditions.set(i, condition(type, state, reason, message, now));
                return true;
            }
        }
        if (state.equals("False")) {
            return false;
        }
        conditions.add(condition(type, state, reason, message, now));
        return true;
    }

    private static ObjectNode condition(String type, String state, String reason, String message, String now) {
        ObjectNode condition = Json.object();
        condition.put("type", type).put("status", state).put("lastProbeTime", now).put("lastTransitionTime", now)
                .put("reason", reason).put("message", message);
        return condition;
    }
}
