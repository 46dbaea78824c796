package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadValidationTest {

    private static final String DEPLOYMENT = WorkloadDefaultingTest.DEPLOYMENT;

    private static List<String> deploymentProblems(String yaml) {
        return Fixtures.createProblems(yaml, Deployment.class);
    }

    /** The deployment with extra lines at the top of its spec. */
    private static String withSpec(String lines) {
        return DEPLOYMENT.replace("spec:\n  selector", "spec:\n" + lines + "\n  selector");
    }

    @Test
    void aDefaultedDeploymentIsValid() {
        assertEquals(List.of(), deploymentProblems(DEPLOYMENT));
    }

    @Test
    void theSelectorIsRequired() {
        assertEquals(List.of("spec.selector: Required value",
                        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"),
                deploymentProblems(DEPLOYMENT.replace("  selector: {matchLabels: {app: web}}\n", "")));
    }

    @Test
    void theSelectorMustMatchTheTemplate() {
        assertEquals(List.of("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"),
                deploymentProblems(DEPLOYMENT.replace("matchLabels: {app: web}", "matchLabels: {app: api}")));
        assertEquals(List.of(), deploymentProblems(DEPLOYMENT.replace("matchLabels: {app: web}",
                "matchExpressions: [{key: app, operator: In, values: [web, api]}, {key: canary, operator: DoesNotExist}]")));
    }

    @Test
    void anEmptySelectorIsInvalid() {
        List<String> problems = deploymentProblems(DEPLOYMENT.replace("matchLabels: {app: web}", "matchLabels: {}"));
        assertEquals(List.of("spec.selector: Invalid value: {}: empty selector is invalid for deployment"), problems);
    }

    @Test
    void selectorExpressionsAreChecked() {
        assertEquals(List.of(
                        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                        "spec.selector.matchExpressions[1].operator: Invalid value: \"Near\": not a valid selector operator",
                        "spec.selector: Invalid value: {\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\"},{\"key\":\"tier\",\"operator\":\"Near\"}]}: invalid label selector"),
                deploymentProblems(DEPLOYMENT.replace("matchLabels: {app: web}",
                        "matchExpressions: [{key: app, operator: In}, {key: tier, operator: Near}]")));
    }

    @Test
    void countsAreNotNegative() {
        assertEquals(List.of("spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                        "spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0"),
                deploymentProblems(withSpec("  replicas: -1\n  revisionHistoryLimit: -2")));
    }

    @Test
    void progressDeadlineComesAfterReadiness() {
        assertEquals(List.of("spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"),
                deploymentProblems(withSpec("  minReadySeconds: 10\n  progressDeadlineSeconds: 10")));
    }

    @Test
    void strategies() {
        assertEquals(List.of("spec.strategy.type: Unsupported value: \"BlueGreen\": supported values: \"Recreate\", \"RollingUpdate\""),
                deploymentProblems(withSpec("  strategy: {type: BlueGreen}")));
        assertEquals(List.of("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"),
                deploymentProblems(withSpec("  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}")));
        assertEquals(List.of("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"),
                deploymentProblems(withSpec("  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}")));
        assertEquals(List.of(
                        "spec.strategy.rollingUpdate.maxSurge: Invalid value: half: a valid percent string must be a numeric string "
                                + "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 110%: must not be greater than 100%"),
                deploymentProblems(withSpec("  strategy: {rollingUpdate: {maxSurge: half, maxUnavailable: 110%}}")));
    }

    @Test
    void replicasRestartAlwaysAndHaveNoDeadline() {
        assertEquals(List.of("spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
                        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"),
                deploymentProblems(DEPLOYMENT.replace("      containers:", "      restartPolicy: OnFailure\n      activeDeadlineSeconds: 5\n      containers:")));
    }

    @Test
    void templateProblemsCarryTheTemplatePath() {
        assertEquals(List.of("spec.template.spec.containers[0].image: Required value"),
                deploymentProblems(DEPLOYMENT.replace(", image: nginx", "")));
        assertTrue(deploymentProblems(DEPLOYMENT.replace("labels: {app: web}}", "labels: {app: web, -x: y}}")).get(0)
                .startsWith("spec.template.labels: Invalid value: \"-x\""));
    }

    @Test
    void theSelectorIsImmutable() {
        Deployment stored = Fixtures.defaulted(DEPLOYMENT, Deployment.class);
        Deployment changed = Fixtures.defaulted(DEPLOYMENT.replace("{app: web}", "{app: web2}"), Deployment.class);
        assertEquals(List.of("spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web2\"}}: field is immutable"),
                Fixtures.problems(changed, stored));
        Deployment scaled = Fixtures.defaulted(withSpec("  replicas: 5"), Deployment.class);
        assertEquals(List.of(), Fixtures.problems(scaled, stored));
    }

    @Test
    void replicaSets() {
        String replicaSet = DEPLOYMENT.replace("Deployment", "ReplicaSet");
        assertEquals(List.of(), Fixtures.createProblems(replicaSet, ReplicaSet.class));
        assertEquals(List.of("spec.selector: Invalid value: {}: empty selector is invalid for deployment"),
                Fixtures.createProblems(replicaSet.replace("matchLabels: {app: web}", "matchLabels: {}"), ReplicaSet.class));
        ReplicaSet stored = Fixtures.defaulted(replicaSet, ReplicaSet.class);
        ReplicaSet changed = Fixtures.defaulted(replicaSet.replace("{app: web}", "{app: api}"), ReplicaSet.class);
        assertEquals(List.of("spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"api\"}}: field is immutable"),
                Fixtures.problems(changed, stored));
    }

    @Test
    void daemonSets() {
        String daemonSet = DEPLOYMENT.replace("Deployment", "DaemonSet");
        assertEquals(List.of(), Fixtures.createProblems(daemonSet, DaemonSet.class));
        String strategy = daemonSet.replace("spec:\n  selector", "spec:\n  updateStrategy: {rollingUpdate: {maxUnavailable: %s, maxSurge: %s}}\n  selector");
        assertEquals(List.of("spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"),
                Fixtures.createProblems(String.format(strategy, 1, 1), DaemonSet.class));
        assertEquals(List.of("spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"),
                Fixtures.createProblems(String.format(strategy, 0, "0%"), DaemonSet.class));
        assertEquals(List.of(), Fixtures.createProblems(String.format(strategy, 0, "10%"), DaemonSet.class));
        assertEquals(List.of("spec.updateStrategy.type: Unsupported value: \"Manual\": supported values: \"RollingUpdate\", \"OnDelete\""),
                Fixtures.createProblems(daemonSet.replace("spec:\n  selector", "spec:\n  updateStrategy: {type: Manual}\n  selector"), DaemonSet.class));
        assertEquals(List.of("spec.template.spec.activeDeadlineSeconds: Invalid value: 5: activeDeadlineSeconds in DaemonSet is not Supported"),
                Fixtures.createProblems(daemonSet.replace("      containers:", "      activeDeadlineSeconds: 5\n      containers:"), DaemonSet.class));
    }

    private static final String CONTROLLER = """
            apiVersion: v1
            kind: ReplicationController
            metadata: {name: web}
            spec:
              selector: {app: web}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: nginx, image: nginx}]}
            """;

    @Test
    void replicationControllers() {
        assertEquals(List.of(), Fixtures.createProblems(CONTROLLER, ReplicationController.class));
        assertEquals(List.of("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"),
                Fixtures.createProblems(CONTROLLER.replace("selector: {app: web}", "selector: {app: api}"), ReplicationController.class));
        assertEquals(List.of("spec.selector: Required value", "spec.template: Required value"),
                Fixtures.createProblems("{kind: ReplicationController, metadata: {name: web}, spec: {replicas: 1}}", ReplicationController.class));
    }

    @Test
    void aReplicationControllersSelectorMayChange() {
        ReplicationController stored = Fixtures.defaulted(CONTROLLER, ReplicationController.class);
        ReplicationController changed = Fixtures.defaulted(CONTROLLER.replace("{app: web}", "{app: api}"), ReplicationController.class);
        assertEquals(List.of(), Fixtures.problems(changed, stored));
    }
}
