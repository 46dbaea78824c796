package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Node taints and the pod tolerations that answer them share keys, values and effects. */
final class Taints {

    static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private Taints() {
    }

    static void taints(List<Taint> taints, String path, List<FieldError> errors) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            Taint taint = taints.get(i);
            String at = path + "[" + i + "]";
            String key = Metadata.nullToEmpty(taint.getKey());
            Names.report(Names.qualifiedName(key), at + ".key", key, errors);
            value(taint.getValue(), at + ".value", errors);
            effect(taint.getEffect(), false, at + ".effect", errors);
            // the scheduler and the eviction manager look a taint up by key and effect
            if (!seen.add(key + "\n" + taint.getEffect())) {
                errors.add(new FieldError(at, FieldError.Reason.FieldValueDuplicate,
                        GoValues.render(taint) + ": taints must be unique by key and effect pair"));
            }
        }
    }

    static void tolerations(List<Toleration> tolerations, String path, List<FieldError> errors) {
        for (int i = 0; i < tolerations.size(); i++) {
            Toleration toleration = tolerations.get(i);
            String at = path + "[" + i + "]";
            String key = Metadata.nullToEmpty(toleration.getKey());
            String operator = Metadata.nullToEmpty(toleration.getOperator());
            Names.optional(key, Names::qualifiedName, at + ".key", errors);
            if (key.isEmpty() && !operator.equals("Exists")) {
                errors.add(FieldError.invalid(at + ".operator", operator,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }
            if (toleration.getTolerationSeconds() != null && !"NoExecute".equals(toleration.getEffect())) {
                errors.add(FieldError.invalid(at + ".effect", Metadata.nullToEmpty(toleration.getEffect()),
                        "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }
            switch (operator) {
                case "", "Equal" -> value(toleration.getValue(), at + ".operator", errors);
                case "Exists" -> {
                    if (!Fill.isAbsent(toleration.getValue())) {
                        errors.add(FieldError.invalid(at + ".operator", toleration, "value must be empty when `operator` is 'Exists'"));
                    }
                }
                default -> errors.add(FieldError.notSupported(at + ".operator", operator, List.of("Equal", "Exists")));
            }
            // an empty effect tolerates every effect
            effect(toleration.getEffect(), true, at + ".effect", errors);
        }
    }

    private static void value(String value, String path, List<FieldError> errors) {
        List<String> problems = Names.labelValue(Metadata.nullToEmpty(value));
        if (!problems.isEmpty()) {
            errors.add(FieldError.invalid(path, Metadata.nullToEmpty(value), String.join(";", problems)));
        }
    }

    private static void effect(String effect, boolean allowEmpty, String path, List<FieldError> errors) {
        if (Fill.isAbsent(effect)) {
            if (!allowEmpty) {
                errors.add(FieldError.required(path, ""));
            }
        } else if (!EFFECTS.contains(effect)) {
            errors.add(FieldError.notSupported(path, effect, EFFECTS));
        }
    }
}
