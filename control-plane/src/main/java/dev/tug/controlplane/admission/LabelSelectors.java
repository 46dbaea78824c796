package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates {@code metav1.LabelSelector}s and evaluates them against label sets with Kubernetes'
 * semantics: a missing selector matches nothing, an empty one matches everything. Controllers can
 * use {@link #matches} for the same answers the API server gives.
 */
public final class LabelSelectors {

    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    private LabelSelectors() {
    }

    /** Whether {@code labels} satisfy {@code selector}; false for a null or malformed selector. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || !isWellFormed(selector)) {
            return false;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        boolean labelsMatch = selector.getMatchLabels() == null || selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(actual.get(e.getKey())));
        return labelsMatch && expressions(selector).stream().allMatch(r -> satisfies(r, actual));
    }

    /** A selector with neither matchLabels nor matchExpressions: it selects every object. */
    public static boolean isEmpty(LabelSelector selector) {
        return selector != null && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && expressions(selector).isEmpty();
    }

    /** Operators Kubernetes knows and their value counts, as required to turn it into a label query. */
    static boolean isWellFormed(LabelSelector selector) {
        return expressions(selector).stream().allMatch(r -> OPERATORS.contains(r.getOperator())
                && takesValues(r.getOperator()) == !values(r).isEmpty());
    }

    private static boolean takesValues(String operator) {
        return operator.equals("In") || operator.equals("NotIn");
    }

    static void validate(LabelSelector selector, String field, List<FieldError> errors) {
        if (selector == null) {
            return;
        }
        Metadata.labels(selector.getMatchLabels(), field + ".matchLabels", errors);
        List<LabelSelectorRequirement> expressions = expressions(selector);
        for (int i = 0; i < expressions.size(); i++) {
            requirement(expressions.get(i), field + ".matchExpressions[" + i + "]", errors);
        }
    }

    private static void requirement(LabelSelectorRequirement requirement, String field, List<FieldError> errors) {
        String operator = Metadata.nullToEmpty(requirement.getOperator());
        List<String> values = values(requirement);
        if (!OPERATORS.contains(operator)) {
            errors.add(FieldError.invalid(field + ".operator", operator, "not a valid selector operator"));
        } else if (takesValues(operator) && values.isEmpty()) {
            errors.add(FieldError.required(field + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
        } else if (!takesValues(operator) && !values.isEmpty()) {
            errors.add(FieldError.forbidden(field + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        String key = Metadata.nullToEmpty(requirement.getKey());
        Names.report(Names.qualifiedName(key), field + ".key", key, errors);
        for (int i = 0; i < values.size(); i++) {
            Names.report(Names.labelValue(values.get(i)), field + ".values[" + i + "]", values.get(i), errors);
        }
    }

    private static boolean satisfies(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values(requirement).contains(value);
            case "NotIn" -> value == null || !values(requirement).contains(value);
            case "Exists" -> value != null;
            default -> value == null; // DoesNotExist
        };
    }

    private static List<LabelSelectorRequirement> expressions(LabelSelector selector) {
        return selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    }

    private static List<String> values(LabelSelectorRequirement requirement) {
        return requirement.getValues() == null ? List.of() : requirement.getValues();
    }
}
