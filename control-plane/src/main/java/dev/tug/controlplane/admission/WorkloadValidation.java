package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;

import java.util.List;
import java.util.Map;

/**
 * Rules for the controllers that keep pods running: Deployment, ReplicaSet and DaemonSet
 * (apps/v1, whose selectors are immutable) and the v1 ReplicationController (whose selector is a
 * plain label map and may change).
 */
final class WorkloadValidation {

    static final String SELECTOR_MISMATCH = "`selector` does not match template `labels`";

    private WorkloadValidation() {
    }

    static void deployment(Deployment deployment, Deployment old, List<FieldError> errors) {
        DeploymentSpec spec = deployment.getSpec() == null ? new DeploymentSpec() : deployment.getSpec();
        PodValidation.nonNegative(spec.getReplicas(), "spec.replicas", errors);
        appsSelector(spec.getSelector(), "deployment", errors);
        replicaTemplate(spec.getSelector(), spec.getTemplate(), "ReplicaSet", errors);
        strategy(spec.getStrategy() == null ? new DeploymentStrategy() : spec.getStrategy(), errors);
        PodValidation.nonNegative(spec.getMinReadySeconds(), "spec.minReadySeconds", errors);
        PodValidation.nonNegative(spec.getRevisionHistoryLimit(), "spec.revisionHistoryLimit", errors);
        Integer deadline = spec.getProgressDeadlineSeconds();
        if (deadline != null) {
            PodValidation.nonNegative(deadline, "spec.progressDeadlineSeconds", errors);
            // progress is judged after pods became ready; a deadline before that always fires
            if (deadline <= (spec.getMinReadySeconds() == null ? 0 : spec.getMinReadySeconds())) {
                errors.add(FieldError.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
            }
        }
        if (old != null && old.getSpec() != null) {
            Metadata.unchanged(spec.getSelector(), old.getSpec().getSelector(), "spec.selector", errors);
        }
    }

    static void replicaSet(ReplicaSet replicaSet, ReplicaSet old, List<FieldError> errors) {
        ReplicaSetSpec spec = replicaSet.getSpec() == null ? new ReplicaSetSpec() : replicaSet.getSpec();
        PodValidation.nonNegative(spec.getReplicas(), "spec.replicas", errors);
        PodValidation.nonNegative(spec.getMinReadySeconds(), "spec.minReadySeconds", errors);
        // Kubernetes says "deployment" here too
        appsSelector(spec.getSelector(), "deployment", errors);
        replicaTemplate(spec.getSelector(), spec.getTemplate(), "ReplicaSet", errors);
        if (old != null && old.getSpec() != null) {
            Metadata.unchanged(spec.getSelector(), old.getSpec().getSelector(), "spec.selector", errors);
        }
    }

    static void daemonSet(DaemonSet daemonSet, DaemonSet old, List<FieldError> errors) {
        DaemonSetSpec spec = daemonSet.getSpec() == null ? new DaemonSetSpec() : daemonSet.getSpec();
        appsSelector(spec.getSelector(), "daemonset", errors);
        selectorMatchesTemplate(spec.getSelector(), spec.getTemplate(), errors);
        PodValidation.template(spec.getTemplate(), "spec.template", errors);
        PodSpec podSpec = podSpec(spec.getTemplate());
        restartAlways(podSpec, errors);
        if (podSpec.getActiveDeadlineSeconds() != null) {
            errors.add(FieldError.invalid("spec.template.spec.activeDeadlineSeconds", podSpec.getActiveDeadlineSeconds(),
                    "activeDeadlineSeconds in DaemonSet is not Supported"));
        }
        PodValidation.nonNegative(spec.getMinReadySeconds(), "spec.minReadySeconds", errors);
        PodValidation.nonNegative(spec.getRevisionHistoryLimit(), "spec.revisionHistoryLimit", errors);
        updateStrategy(spec.getUpdateStrategy() == null ? new DaemonSetUpdateStrategy() : spec.getUpdateStrategy(), errors);
        if (old != null && old.getSpec() != null) {
            Metadata.unchanged(spec.getSelector(), old.getSpec().getSelector(), "spec.selector", errors);
        }
    }

    static void replicationController(ReplicationController controller, List<FieldError> errors) {
        ReplicationControllerSpec spec = controller.getSpec() == null ? new ReplicationControllerSpec() : controller.getSpec();
        PodValidation.nonNegative(spec.getMinReadySeconds(), "spec.minReadySeconds", errors);
        Map<String, String> selector = spec.getSelector() == null ? Map.of() : spec.getSelector();
        if (selector.isEmpty()) {
            errors.add(FieldError.required("spec.selector", ""));
        }
        PodValidation.nonNegative(spec.getReplicas(), "spec.replicas", errors);
        PodTemplateSpec template = spec.getTemplate();
        if (template == null) {
            errors.add(FieldError.required("spec.template", ""));
            return;
        }
        Map<String, String> labels = templateLabels(template);
        if (!selector.isEmpty() && !labels.entrySet().containsAll(selector.entrySet())) {
            errors.add(FieldError.invalid("spec.template.metadata.labels", labels, SELECTOR_MISMATCH));
        }
        templateForReplicas(template, "ReplicationController", errors);
    }

    /** Jobs share this: a missing selector matches nothing, an empty one everything. */
    static void selectorMatchesTemplate(LabelSelector selector, PodTemplateSpec template, List<FieldError> errors) {
        if (selector != null && !LabelSelectors.isWellFormed(selector)) {
            errors.add(FieldError.invalid("spec.selector", selector, "invalid label selector"));
        } else if (!LabelSelectors.isEmpty(selector) && !LabelSelectors.matches(selector, templateLabels(template))) {
            errors.add(FieldError.invalid("spec.template.metadata.labels", templateLabels(template), SELECTOR_MISMATCH));
        }
    }

    static PodSpec podSpec(PodTemplateSpec template) {
        return template == null || template.getSpec() == null ? new PodSpec() : template.getSpec();
    }

    private static Map<String, String> templateLabels(PodTemplateSpec template) {
        ObjectMeta meta = template == null ? null : template.getMetadata();
        return meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    private static void appsSelector(LabelSelector selector, String kind, List<FieldError> errors) {
        if (selector == null) {
            errors.add(FieldError.required("spec.selector", ""));
            return;
        }
        LabelSelectors.validate(selector, "spec.selector", errors);
        if (LabelSelectors.isEmpty(selector)) {
            // an empty selector would adopt every pod in the namespace
            errors.add(FieldError.invalid("spec.selector", selector, "empty selector is invalid for " + kind));
        }
    }

    private static void replicaTemplate(LabelSelector selector, PodTemplateSpec template, String kind, List<FieldError> errors) {
        selectorMatchesTemplate(selector, template, errors);
        templateForReplicas(template, kind, errors);
    }

    /** Replicas run until removed: they restart always and have no deadline. */
    private static void templateForReplicas(PodTemplateSpec template, String kind, List<FieldError> errors) {
        PodValidation.template(template, "spec.template", errors);
        PodSpec podSpec = podSpec(template);
        restartAlways(podSpec, errors);
        if (podSpec.getActiveDeadlineSeconds() != null) {
            errors.add(FieldError.forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in " + kind + " is not Supported"));
        }
    }

    private static void restartAlways(PodSpec podSpec, List<FieldError> errors) {
        String policy = podSpec.getRestartPolicy();
        if (!Fill.isAbsent(policy) && !policy.equals("Always")) {
            errors.add(FieldError.notSupported("spec.template.spec.restartPolicy", policy, List.of("Always")));
        }
    }

    private static void strategy(DeploymentStrategy strategy, List<FieldError> errors) {
        String type = Metadata.nullToEmpty(strategy.getType());
        String rollingPath = "spec.strategy.rollingUpdate";
        switch (type) {
            case "Recreate" -> {
                if (strategy.getRollingUpdate() != null) {
                    errors.add(FieldError.forbidden(rollingPath, "may not be specified when strategy `type` is 'Recreate'"));
                }
            }
            case "RollingUpdate" -> {
                if (strategy.getRollingUpdate() == null) {
                    errors.add(FieldError.required(rollingPath, "this should be defaulted and never be nil"));
                    return;
                }
                IntOrString maxUnavailable = strategy.getRollingUpdate().getMaxUnavailable();
                IntOrString maxSurge = strategy.getRollingUpdate().getMaxSurge();
                rollingLimits(maxUnavailable, maxSurge, rollingPath, errors);
                if (amount(maxUnavailable) == 0 && amount(maxSurge) == 0) {
                    // neither removing nor adding a pod: the rollout could never progress
                    errors.add(FieldError.invalid(rollingPath + ".maxUnavailable", maxUnavailable, "may not be 0 when `maxSurge` is 0"));
                }
            }
            default -> errors.add(FieldError.notSupported("spec.strategy.type", type, List.of("Recreate", "RollingUpdate")));
        }
    }

    private static void updateStrategy(DaemonSetUpdateStrategy strategy, List<FieldError> errors) {
        String type = Metadata.nullToEmpty(strategy.getType());
        String rollingPath = "spec.updateStrategy.rollingUpdate";
        if (type.equals("RollingUpdate")) {
            if (strategy.getRollingUpdate() == null) {
                errors.add(FieldError.required(rollingPath, ""));
                return;
            }
            IntOrString maxUnavailable = strategy.getRollingUpdate().getMaxUnavailable();
            IntOrString maxSurge = strategy.getRollingUpdate().getMaxSurge();
            rollingLimits(maxUnavailable, maxSurge, rollingPath, errors);
            percentAtMost100(maxSurge, rollingPath + ".maxSurge", errors);
            // a daemon pod either goes first (unavailable) or its successor comes first (surge), not both
            boolean unavailable = amount(maxUnavailable) != 0;
            boolean surge = amount(maxSurge) != 0;
            if (unavailable && surge) {
                errors.add(FieldError.invalid(rollingPath + ".maxSurge", maxSurge, "may not be set when maxUnavailable is non-zero"));
            } else if (!unavailable && !surge) {
                errors.add(FieldError.required(rollingPath + ".maxUnavailable", "cannot be 0 when maxSurge is 0"));
            }
        } else if (!type.equals("OnDelete")) {
            errors.add(FieldError.notSupported("spec.updateStrategy.type", type, List.of("RollingUpdate", "OnDelete")));
        }
    }

    /** Each limit a non-negative count or a percentage; at most all pods unavailable. */
    private static void rollingLimits(IntOrString maxUnavailable, IntOrString maxSurge, String path, List<FieldError> errors) {
        intOrPercent(maxUnavailable, path + ".maxUnavailable", errors);
        intOrPercent(maxSurge, path + ".maxSurge", errors);
        percentAtMost100(maxUnavailable, path + ".maxUnavailable", errors);
    }

    private static void intOrPercent(IntOrString value, String path, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        if (value.getIntVal() != null) {
            PodValidation.nonNegative(value.getIntVal(), path, errors);
        } else {
            Names.report(Names.percent(Metadata.nullToEmpty(value.getStrVal())), path, value, errors);
        }
    }

    private static void percentAtMost100(IntOrString value, String path, List<FieldError> errors) {
        if (value != null && value.getIntVal() == null && amount(value) > 100) {
            errors.add(FieldError.invalid(path, value, "must not be greater than 100%"));
        }
    }

    /** The number in a count or a valid percentage; 0 for anything else. */
    private static int amount(IntOrString value) {
        if (value == null) {
            return 0;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = Metadata.nullToEmpty(value.getStrVal());
        if (!Names.percent(text).isEmpty()) {
            return 0;
        }
        String digits = text.substring(0, text.length() - 1);
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }
}
