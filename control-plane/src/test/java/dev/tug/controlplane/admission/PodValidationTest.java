package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodValidationTest {

    /** A pod whose spec is the given YAML (indented for {@code spec:}). */
    private static List<String> podProblems(String spec) {
        return Fixtures.createProblems("{kind: Pod, metadata: {name: p}, spec: " + spec + "}", Pod.class);
    }

    private static List<String> containerProblems(String container) {
        return podProblems("{containers: [" + container + "]}");
    }

    @Test
    void aPodNeedsContainers() {
        assertEquals(List.of("spec.containers: Required value"), podProblems("{}"));
    }

    @Test
    void containerNameAndImageAreRequired() {
        assertEquals(List.of("spec.containers[0].name: Required value", "spec.containers[0].image: Required value"),
                containerProblems("{ports: [{containerPort: 80}]}"));
    }

    @Test
    void containerNamesAreDnsLabels() {
        List<String> problems = containerProblems("{name: Web_1, image: nginx}");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("spec.containers[0].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label"), problems.get(0));
    }

    @Test
    void containerNamesAreUniqueAcrossInitContainers() {
        assertEquals(List.of("spec.initContainers[0].name: Duplicate value: \"app\""),
                podProblems("{initContainers: [{name: app, image: busybox}], containers: [{name: app, image: nginx}]}"));
        assertEquals(List.of("spec.containers[1].name: Duplicate value: \"app\""),
                podProblems("{containers: [{name: app, image: nginx}, {name: app, image: nginx}]}"));
    }

    @Test
    void podImagesHaveNoSurroundingWhitespace() {
        assertEquals(List.of("spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"),
                containerProblems("{name: a, image: ' nginx'}"));
    }

    @Test
    void portNumbersNamesAndProtocols() {
        assertEquals(List.of(
                        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                        "spec.containers[0].ports[1].containerPort: Required value",
                        "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                        "spec.containers[0].ports[2].name: Duplicate value: \"http\"",
                        "spec.containers[0].ports[3].name: Invalid value: \"HTTP_PORT\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                        "spec.containers[0].ports[3].name: Invalid value: \"HTTP_PORT\": must contain at least one letter (a-z)",
                        "spec.containers[0].ports[4].name: Invalid value: \"a-very-long-port-name\": must be no more than 15 characters"),
                containerProblems("""
                        {name: a, image: nginx, ports: [
                          {name: http, containerPort: 70000}, {protocol: HTTP}, {name: http, containerPort: 8080},
                          {name: HTTP_PORT, containerPort: 81}, {name: a-very-long-port-name, containerPort: 82}]}"""));
    }

    @Test
    void hostPortsAreNotSharedBetweenContainers() {
        assertEquals(List.of("spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""),
                podProblems("{containers: [{name: a, image: x, ports: [{containerPort: 80, hostPort: 8080}]},"
                        + " {name: b, image: x, ports: [{containerPort: 81, hostPort: 8080}]}]}"));
    }

    @Test
    void restartPolicyIsOneOfThree() {
        assertEquals(List.of("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
                podProblems("{restartPolicy: Sometimes, containers: [{name: a, image: x}]}"));
    }

    @Test
    void volumesAreNamedUniquelyAndMountsNameThem() {
        assertEquals(List.of(
                        "spec.volumes[1].name: Duplicate value: \"data\"",
                        "spec.containers[0].volumeMounts[0].name: Not found: \"cache\"",
                        "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique",
                        "spec.containers[0].volumeMounts[2].mountPath: Required value",
                        "spec.containers[0].volumeMounts[2].subPath: Invalid value: \"../etc\": must not contain '..'"),
                podProblems("""
                        {volumes: [{name: data}, {name: data}],
                         containers: [{name: a, image: x, volumeMounts: [{name: cache, mountPath: /data}, {name: data, mountPath: /data},
                                                                       {name: data, subPath: ../etc}]}]}"""));
    }

    @Test
    void aVolumeHasOneSource() {
        assertEquals(List.of("spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type"),
                podProblems("{volumes: [{name: v, hostPath: {path: /tmp}, emptyDir: {}}], containers: [{name: a, image: x}]}"));
        assertEquals(List.of("spec.volumes[0].configMap.name: Required value",
                        "spec.volumes[0].configMap.items[0].path: Invalid value: \"/etc/passwd\": must be a relative path"),
                podProblems("{volumes: [{name: v, configMap: {items: [{key: k, path: /etc/passwd}]}}], containers: [{name: a, image: x}]}"));
    }

    @Test
    void environment() {
        assertEquals(List.of(
                        "spec.containers[0].env[0].name: Required value",
                        "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
                        "spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
                        "spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Unsupported value: \"spec.hostname\": supported values: "
                                + "\"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", "
                                + "\"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"",
                        "spec.containers[0].env[4].valueFrom.secretKeyRef.key: Required value"),
                containerProblems("""
                        {name: a, image: x, env: [{value: x}, {name: A=B}, {name: C, value: v, valueFrom: {fieldRef: {fieldPath: metadata.name}}},
                          {name: D, valueFrom: {fieldRef: {fieldPath: spec.hostname}}}, {name: E, valueFrom: {secretKeyRef: {name: s}}},
                          {name: my.env-1, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}]}"""));
    }

    @Test
    void requestsCannotExceedLimits() {
        assertEquals(List.of("spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1500m"),
                containerProblems("{name: a, image: x, resources: {requests: {cpu: '2', memory: 1Gi}, limits: {cpu: 1500m, memory: 1Gi}}}"));
        assertEquals(List.of(), containerProblems("{name: a, image: x, resources: {requests: {memory: 1G}, limits: {memory: 1Gi}}}"));
    }

    @Test
    void quantitiesAreWellFormedAndNotNegative() {
        assertEquals(List.of(
                        "spec.containers[0].resources.limits[memory]: Invalid value: \"1GB\": " + Quantities.SYNTAX_MESSAGE,
                        "spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
                        // pods request what they limit unless they say otherwise
                        "spec.containers[0].resources.requests[memory]: Invalid value: \"1GB\": " + Quantities.SYNTAX_MESSAGE),
                containerProblems("{name: a, image: x, resources: {requests: {cpu: '-1'}, limits: {memory: 1GB}}}"));
    }

    @Test
    void resourceNamesAreStandardOrQualified() {
        assertEquals(List.of("spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
                        "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers"),
                containerProblems("{name: a, image: x, resources: {limits: {gpu: '1'}}}"));
        assertEquals(List.of("spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to example.com/gpu limit of 2"),
                containerProblems("{name: a, image: x, resources: {requests: {example.com/gpu: '1'}, limits: {example.com/gpu: '2'}}}"));
    }

    @Test
    void probesNeedOneHandler() {
        assertEquals(List.of(
                        "spec.containers[0].livenessProbe: Required value: must specify a handler type",
                        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
                        "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
                        "spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -5: must be greater than or equal to 0"),
                containerProblems("""
                        {name: a, image: x, livenessProbe: {successThreshold: 2},
                         readinessProbe: {httpGet: {port: http}, tcpSocket: {port: 80}, initialDelaySeconds: -5}}"""));
    }

    @Test
    void initContainersRunToCompletionUnlessSidecars() {
        assertEquals(List.of("spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"),
                podProblems("{initContainers: [{name: i, image: x, readinessProbe: {exec: {command: [sh]}}},"
                        + " {name: s, image: x, restartPolicy: Always, readinessProbe: {exec: {command: [sh]}}}], containers: [{name: a, image: x}]}"));
        assertEquals(List.of("spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"),
                containerProblems("{name: a, image: x, restartPolicy: Always}"));
    }

    @Test
    void tolerations() {
        assertEquals(List.of(
                        "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                        "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
                        "spec.tolerations[2].operator: Unsupported value: \"Near\": supported values: \"Equal\", \"Exists\"",
                        "spec.tolerations[3].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
                podProblems("""
                        {containers: [{name: a, image: x}], tolerations: [{operator: Equal}, {key: k, effect: NoSchedule, tolerationSeconds: 5},
                         {key: k, operator: Near}, {key: k, operator: Exists, effect: Sometimes}]}"""));
    }

    @Test
    void otherPodSpecFields() {
        assertEquals(List.of(
                        "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None",
                        "spec.serviceAccountName: Invalid value: \"Builder\": a lowercase RFC 1123 subdomain must consist of lower case "
                                + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                                + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"),
                podProblems("{dnsPolicy: None, serviceAccountName: Builder, activeDeadlineSeconds: 0, containers: [{name: a, image: x}]}"));
    }

    @Test
    void explicitNullListsReadAsEmpty() {
        // kubectl sends an empty YAML key as null; Kubernetes reads it as an empty list
        assertEquals(List.of("spec.containers: Required value"), podProblems("{containers: null, volumes: null, tolerations: null}"));
        assertEquals(List.of(), containerProblems("{name: a, image: x, ports: null, env: null, volumeMounts: null}"));
        Pod stored = Fixtures.defaulted(RUNNING, Pod.class);
        Pod withNulls = Fixtures.defaulted(RUNNING.replace("image: \"nginx:1.26\"", "image: \"nginx:1.26\", ports: null, env: null"), Pod.class);
        assertEquals(List.of(), Fixtures.problems(withNulls, stored));
    }

    private static final String RUNNING = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: default, uid: u1}
            spec:
              nodeName: node-1
              containers: [{name: web, image: "nginx:1.26"}]
            """;

    @Test
    void aPodsImagesMayChange() {
        Pod stored = Fixtures.defaulted(RUNNING, Pod.class);
        Pod updated = Fixtures.defaulted(RUNNING.replace("nginx:1.26", "nginx:1.27"), Pod.class);
        assertEquals(List.of(), Fixtures.problems(updated, stored));
    }

    @Test
    void aPodsOtherFieldsMayNot() {
        Pod stored = Fixtures.defaulted(RUNNING, Pod.class);
        Pod updated = Fixtures.defaulted(RUNNING.replace("image: \"nginx:1.26\"", "image: \"nginx:1.26\", ports: [{containerPort: 80}]"), Pod.class);
        assertEquals(List.of("spec: Forbidden: " + PodValidation.UPDATABLE_FIELDS), Fixtures.problems(updated, stored));
    }

    @Test
    void tolerationsMayOnlyBeAdded() {
        Pod stored = Fixtures.defaulted(RUNNING, Pod.class);
        Pod added = Fixtures.defaulted(RUNNING, Pod.class);
        added.getSpec().getTolerations().add(new Toleration("NoSchedule", "dedicated", "Equal", null, "web"));
        assertEquals(List.of(), Fixtures.problems(added, stored));
        Pod removed = Fixtures.defaulted(RUNNING, Pod.class);
        removed.getSpec().getTolerations().remove(0);
        assertEquals(List.of("spec: Forbidden: " + PodValidation.UPDATABLE_FIELDS), Fixtures.problems(removed, stored));
    }

    @Test
    void theDeadlineMayOnlyShrink() {
        Pod stored = Fixtures.defaulted(RUNNING.replace("  nodeName", "  activeDeadlineSeconds: 60\n  nodeName"), Pod.class);
        Pod shorter = Fixtures.defaulted(RUNNING.replace("  nodeName", "  activeDeadlineSeconds: 30\n  nodeName"), Pod.class);
        Pod longer = Fixtures.defaulted(RUNNING.replace("  nodeName", "  activeDeadlineSeconds: 90\n  nodeName"), Pod.class);
        assertEquals(List.of(), Fixtures.problems(shorter, stored));
        assertEquals(List.of("spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value"),
                Fixtures.problems(longer, stored));
        assertEquals(List.of("spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"),
                Fixtures.problems(Fixtures.defaulted(RUNNING, Pod.class), stored));
    }
}
