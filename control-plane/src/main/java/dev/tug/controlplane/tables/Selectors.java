package dev.tug.controlplane.tables;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Labels and label selectors written the way kubectl shows them ("app=web,tier in (a,b)"). */
public final class Selectors {

    private Selectors() {
    }

    /** A plain label map as "k=v,..." sorted; "<none>" when empty (labels.FormatLabels). */
    static String labels(JsonNode labelMap) {
        List<String> pairs = new ArrayList<>();
        if (labelMap != null && labelMap.isObject()) {
            labelMap.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        }
        pairs.sort(null);
        return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
    }

    /** A metav1.LabelSelector as kubectl shows it: "<none>" when it is empty, "<error>" when invalid. */
    static String format(JsonNode labelSelector) {
        String selector = selector(labelSelector);
        if (selector == null) {
            return "<error>";
        }
        return selector.isEmpty() ? "<none>" : selector;
    }

    /**
     * A metav1.LabelSelector in selector syntax, requirements sorted by key; "" when missing or
     * empty; null when invalid (an unknown operator, or values that do not fit the operator).
     */
    static String selector(JsonNode labelSelector) {
        List<Map.Entry<String, String>> requirements = new ArrayList<>();
        Fields.orMissing(labelSelector).path("matchLabels").fields()
                .forEachRemaining(e -> requirements.add(Map.entry(e.getKey(), e.getKey() + "=" + e.getValue().asText())));
        for (JsonNode expression : Fields.list(labelSelector, "matchExpressions")) {
            String requirement = requirement(expression);
            if (requirement == null) {
                return null;
            }
            requirements.add(Map.entry(Fields.text(expression, "key"), requirement));
        }
        return requirements.stream()
                .sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .collect(Collectors.joining(","));
    }

    /**
     * Any workload selector in selector syntax: an apps/v1 LabelSelector or a
     * ReplicationController's plain label map; "" when there is none (as a Scale's status shows it).
     */
    public static String string(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return "";
        }
        if (selector.has("matchLabels") || selector.has("matchExpressions")) {
            String formatted = selector(selector);
            return formatted == null ? "" : formatted;
        }
        return selector.isEmpty() ? "" : labels(selector);
    }

    private static String requirement(JsonNode expression) {
        String key = Fields.text(expression, "key");
        List<String> values = Fields.list(expression, "values").stream().map(JsonNode::asText).sorted().toList();
        switch (Fields.text(expression, "operator")) {
            case "In":
                return values.isEmpty() ? null : key + " in (" + String.join(",", values) + ")";
            case "NotIn":
                return values.isEmpty() ? null : key + " notin (" + String.join(",", values) + ")";
            case "Exists":
                return values.isEmpty() ? key : null;
            case "DoesNotExist":
                return values.isEmpty() ? "!" + key : null;
            default:
                return null;
        }
    }
}
