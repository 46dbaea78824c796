package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.objects.ObjectMetadata;

/**
 * {@code spec.podFailurePolicy}: what a failed pod means for its Job, decided by the first rule
 * whose exit codes or pod conditions match. {@code FailJob} fails the Job at once, {@code Ignore}
 * does not count toward {@code backoffLimit}, {@code Count} (and no match) counts as usual.
 */
final class PodFailurePolicy {

    /** The matching rule's action and, for FailJob, the message the Job's Failed condition carries. */
    record Match(String action, String message) {
        boolean failsJob() {
            return action.equals("FailJob");
        }

        boolean ignored() {
            return action.equals("Ignore");
        }
    }

    private PodFailurePolicy() {
    }

    /** The first rule matching the failed pod, or null (the failure counts). */
    static Match match(JsonNode policy, JsonNode pod) {
        JsonNode rules = policy.path("rules");
        for (int index = 0; index < rules.size(); index++) {
            JsonNode rule = rules.get(index);
            String action = rule.path("action").asText();
            if (rule.has("onExitCodes")) {
                JsonNode container = matchingContainer(pod, rule.get("onExitCodes"));
                if (container != null) {
                    return new Match(action, "Container %s for pod %s/%s failed with exit code %d matching %s rule at index %d"
                            .formatted(container.path("name").asText(), ObjectMetadata.namespace(pod), ObjectMetadata.name(pod),
                                    exitCode(container), action, index));
                }
            } else if (rule.has("onPodConditions")) {
                String condition = matchingCondition(pod, rule.get("onPodConditions"));
                if (condition != null) {
                    return new Match(action, "Pod %s/%s has condition %s matching %s rule at index %d"
                            .formatted(ObjectMetadata.namespace(pod), ObjectMetadata.name(pod), condition, action, index));
                }
            }
        }
        return null;
    }

    /** A container (main ones first, then init ones) that ended with a non-zero code the rule names. */
    private static JsonNode matchingContainer(JsonNode pod, JsonNode requirement) {
        String name = requirement.path("containerName").asText(null);
        boolean in = requirement.path("operator").asText().equals("In");
        for (String list : new String[] {"containerStatuses", "initContainerStatuses"}) {
            for (JsonNode container : pod.path("status").path(list)) {
                if (!container.path("state").has("terminated") || (name != null && !name.equals(container.path("name").asText()))) {
                    continue;
                }
                int code = exitCode(container);
                if (code != 0 && in == listed(requirement.path("values"), code)) {
                    return container;
                }
            }
        }
        return null;
    }

    private static int exitCode(JsonNode container) {
        return container.path("state").path("terminated").path("exitCode").asInt();
    }

    private static boolean listed(JsonNode values, int code) {
        for (JsonNode value : values) {
            if (value.asInt() == code) {
                return true;
            }
        }
        return false;
    }

    /** The type of a pod condition matching one of the patterns (type and status), or null. */
    private static String matchingCondition(JsonNode pod, JsonNode patterns) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            for (JsonNode pattern : patterns) {
                if (pattern.path("type").asText().equals(condition.path("type").asText())
                        && pattern.path("status").asText("True").equals(condition.path("status").asText())) {
                    return condition.path("type").asText();
                }
            }
        }
        return null;
    }
}
