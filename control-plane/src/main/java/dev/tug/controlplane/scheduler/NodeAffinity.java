package dev.tug.controlplane.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.objects.ObjectMetadata;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** requiredDuringSchedulingIgnoredDuringExecution node affinity: any term matches, all of its expressions hold. */
public final class NodeAffinity {

    private NodeAffinity() {
    }

    public static boolean matches(JsonNode pod, JsonNode node) {
        JsonNode terms = pod.path("spec").path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        if (!terms.isArray() || terms.isEmpty()) {
            return true;
        }
        Map<String, String> labels = ObjectMetadata.labels(node);
        Map<String, String> fields = Map.of("metadata.name", ObjectMetadata.name(node));
        for (JsonNode term : terms) {
            if (all(term.path("matchExpressions"), labels) && all(term.path("matchFields"), fields)) {
                return true;
            }
        }
        return false;
    }

    private static boolean all(JsonNode expressions, Map<String, String> values) {
        for (JsonNode expression : expressions) {
            String key = expression.path("key").asText();
            Set<String> wanted = new HashSet<>();
            expression.path("values").forEach(v -> wanted.add(v.asText()));
            String value = values.get(key);
            boolean holds = switch (expression.path("operator").asText()) {
                case "In" -> value != null && wanted.contains(value);
                case "NotIn" -> value == null || !wanted.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                case "Gt" -> value != null && compare(value, wanted) > 0;
                case "Lt" -> value != null && compare(value, wanted) < 0;
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static int compare(String value, Set<String> wanted) {
        try {
            return Long.compare(Long.parseLong(value), Long.parseLong(wanted.iterator().next()));
        } catch (NumberFormatException | java.util.NoSuchElementException e) {
            return 0;
        }
    }
}
