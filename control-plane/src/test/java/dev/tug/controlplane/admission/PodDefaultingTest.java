package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodDefaultingTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: default}
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
                ports: [{containerPort: 80}]
                env:
                - name: POD_NAME
                  valueFrom: {fieldRef: {fieldPath: metadata.name}}
                livenessProbe:
                  httpGet: {port: 80}
                readinessProbe:
                  tcpSocket: {port: 80}
                volumeMounts: [{name: config, mountPath: /etc/nginx}]
              volumes:
              - name: config
                configMap: {name: nginx}
              - name: certs
                secret: {secretName: tls}
              - name: scratch
            """;

    @Test
    void podSpecDefaults() {
        PodSpec spec = Fixtures.defaulted(POD, Pod.class).getSpec();
        assertEquals("Always", spec.getRestartPolicy());
        assertEquals("ClusterFirst", spec.getDnsPolicy());
        assertEquals(30L, spec.getTerminationGracePeriodSeconds());
        assertEquals("default-scheduler", spec.getSchedulerName());
        assertNotNull(spec.getSecurityContext());
        assertEquals(true, spec.getEnableServiceLinks());
    }

    @Test
    void containerDefaults() {
        Container container = Fixtures.defaulted(POD, Pod.class).getSpec().getContainers().get(0);
        assertEquals("/dev/termination-log", container.getTerminationMessagePath());
        assertEquals("File", container.getTerminationMessagePolicy());
        assertEquals("IfNotPresent", container.getImagePullPolicy());
        assertEquals("TCP", container.getPorts().get(0).getProtocol());
        assertEquals("v1", container.getEnv().get(0).getValueFrom().getFieldRef().getApiVersion());
    }

    @Test
    void probeDefaults() {
        Container container = Fixtures.defaulted(POD, Pod.class).getSpec().getContainers().get(0);
        for (Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe())) {
            assertEquals(1, probe.getTimeoutSeconds());
            assertEquals(10, probe.getPeriodSeconds());
            assertEquals(1, probe.getSuccessThreshold());
            assertEquals(3, probe.getFailureThreshold());
        }
        assertEquals("HTTP", container.getLivenessProbe().getHttpGet().getScheme());
        assertEquals("/", container.getLivenessProbe().getHttpGet().getPath());
    }

    @Test
    void volumeDefaults() {
        PodSpec spec = Fixtures.defaulted(POD, Pod.class).getSpec();
        assertEquals(420, spec.getVolumes().get(0).getConfigMap().getDefaultMode());
        assertEquals(420, spec.getVolumes().get(1).getSecret().getDefaultMode());
        assertNotNull(spec.getVolumes().get(2).getEmptyDir(), "a volume without a source is an emptyDir");
    }

    @Test
    void statusOnCreation() {
        Pod pod = Fixtures.defaulted(POD, Pod.class);
        assertEquals("Pending", pod.getStatus().getPhase());
        assertEquals("BestEffort", pod.getStatus().getQosClass());
    }

    @Test
    void admissionPluginDefaults() {
        PodSpec spec = Fixtures.defaulted(POD, Pod.class).getSpec();
        assertEquals("default", spec.getServiceAccountName());
        assertEquals("default", spec.getServiceAccount());
        assertEquals(0, spec.getPriority());
        assertEquals("PreemptLowerPriority", spec.getPreemptionPolicy());
        assertEquals(List.of(
                new Toleration("NoExecute", "node.kubernetes.io/not-ready", "Exists", 300L, null),
                new Toleration("NoExecute", "node.kubernetes.io/unreachable", "Exists", 300L, null)), spec.getTolerations());
    }

    @Test
    void builtInPriorityClassesResolve() {
        Pod pod = Fixtures.defaulted(POD.replace("spec:\n", "spec:\n  priorityClassName: system-node-critical\n"), Pod.class);
        assertEquals(2000001000, pod.getSpec().getPriority());
    }

    @Test
    void ownTolerationsOfUnreadyNodesAreKept() {
        Pod pod = Fixtures.defaulted(POD.replace("spec:\n", """
                spec:
                  tolerations:
                  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 10}
                """), Pod.class);
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        assertEquals(2, tolerations.size());
        assertEquals(10L, tolerations.get(0).getTolerationSeconds());
        assertEquals("node.kubernetes.io/unreachable", tolerations.get(1).getKey());
    }

    @Test
    void aTolerationOfEverythingNeedsNoAdditions() {
        Pod pod = Fixtures.defaulted(POD.replace("spec:\n", "spec:\n  tolerations: [{operator: Exists}]\n"), Pod.class);
        assertEquals(1, pod.getSpec().getTolerations().size());
    }

    @ParameterizedTest
    @CsvSource({"nginx, Always", "nginx:latest, Always", "nginx:1.27, IfNotPresent", "localhost:5000/app, Always",
            "localhost:5000/app:v2, IfNotPresent", "nginx@sha256:0123abcd, IfNotPresent", "nginx:latest@sha256:0123abcd, Always",
            "registry.k8s.io/pause:3.10, IfNotPresent"})
    void imagePullPolicyFollowsTheTag(String image, String policy) {
        Pod pod = Fixtures.defaulted(POD.replace("nginx:1.27", image), Pod.class);
        assertEquals(policy, pod.getSpec().getContainers().get(0).getImagePullPolicy());
    }

    @Test
    void explicitValuesAreKept() {
        Pod pod = Fixtures.defaulted(POD.replace("spec:\n", "spec:\n  restartPolicy: Never\n  dnsPolicy: Default\n")
                .replace("image: nginx:1.27", "image: nginx:1.27\n    imagePullPolicy: Never"), Pod.class);
        assertEquals("Never", pod.getSpec().getRestartPolicy());
        assertEquals("Default", pod.getSpec().getDnsPolicy());
        assertEquals("Never", pod.getSpec().getContainers().get(0).getImagePullPolicy());
    }

    @Test
    void limitsBecomeRequestsAndMakeThePodGuaranteed() {
        Pod pod = Fixtures.defaulted(POD.replace("image: nginx:1.27", """
                image: nginx:1.27
                    resources: {limits: {cpu: 500m, memory: 128Mi}}"""), Pod.class);
        Map<String, Quantity> requests = pod.getSpec().getContainers().get(0).getResources().getRequests();
        assertEquals(new Quantity("500m"), requests.get("cpu"));
        assertEquals(new Quantity("128Mi"), requests.get("memory"));
        assertEquals("Guaranteed", pod.getStatus().getQosClass());
    }

    @Test
    void requestsBelowLimitsAreBurstable() {
        Pod pod = Fixtures.defaulted(POD.replace("image: nginx:1.27", """
                image: nginx:1.27
                    resources: {requests: {cpu: 100m}, limits: {cpu: 500m, memory: 128Mi}}"""), Pod.class);
        assertEquals(new Quantity("100m"), pod.getSpec().getContainers().get(0).getResources().getRequests().get("cpu"));
        assertEquals("Burstable", pod.getStatus().getQosClass());
    }

    @Test
    void hostNetworkPortsAreHostPorts() {
        Pod pod = Fixtures.defaulted(POD.replace("spec:\n", "spec:\n  hostNetwork: true\n"), Pod.class);
        assertEquals(80, pod.getSpec().getContainers().get(0).getPorts().get(0).getHostPort());
    }

    @Test
    void initContainersGetContainerDefaults() {
        Pod pod = Fixtures.defaulted(POD.replace("spec:\n", "spec:\n  initContainers: [{name: init, image: busybox}]\n"), Pod.class);
        Container init = pod.getSpec().getInitContainers().get(0);
        assertEquals("Always", init.getImagePullPolicy());
        assertEquals("File", init.getTerminationMessagePolicy());
    }

    @Test
    void existingStatusIsKept() {
        Pod pod = Fixtures.read(POD, Pod.class);
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withQosClass("Burstable").build());
        Defaulting.apply(pod);
        assertEquals("Running", pod.getStatus().getPhase());
        assertEquals("Burstable", pod.getStatus().getQosClass());
        assertNull(pod.getStatus().getPodIP());
    }

    @Test
    void deprecatedServiceAccountFieldIsMirrored() {
        Pod pod = Fixtures.defaulted(POD.replace("spec:\n", "spec:\n  serviceAccount: builder\n"), Pod.class);
        assertEquals("builder", pod.getSpec().getServiceAccountName());
        assertTrue(pod.getSpec().getServiceAccount().equals(pod.getSpec().getServiceAccountName()));
    }
}
