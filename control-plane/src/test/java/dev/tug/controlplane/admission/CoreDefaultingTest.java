package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoreDefaultingTest {

    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports:
              - {name: http, port: 80}
              - {name: metrics, port: 9090, targetPort: metrics}
            """;

    @Test
    void clusterIPServiceDefaults() {
        ServiceSpec spec = Fixtures.defaulted(SERVICE, Service.class).getSpec();
        assertEquals("ClusterIP", spec.getType());
        assertEquals("None", spec.getSessionAffinity());
        assertEquals("TCP", spec.getPorts().get(0).getProtocol());
        assertEquals(new IntOrString(80), spec.getPorts().get(0).getTargetPort());
        assertEquals(new IntOrString("metrics"), spec.getPorts().get(1).getTargetPort());
        assertEquals("Cluster", spec.getInternalTrafficPolicy());
        assertEquals("SingleStack", spec.getIpFamilyPolicy());
        assertEquals(List.of("IPv4"), spec.getIpFamilies());
        assertNull(spec.getExternalTrafficPolicy(), "only externally reachable services have one");
        assertNull(spec.getClusterIP(), "the server allocates it");
    }

    @Test
    void nodePortAndLoadBalancerServicesAreExternallyReachable() {
        ServiceSpec nodePort = Fixtures.defaulted(SERVICE.replace("spec:\n", "spec:\n  type: NodePort\n"), Service.class).getSpec();
        assertEquals("Cluster", nodePort.getExternalTrafficPolicy());
        assertNull(nodePort.getAllocateLoadBalancerNodePorts());
        ServiceSpec balancer = Fixtures.defaulted(SERVICE.replace("spec:\n", "spec:\n  type: LoadBalancer\n"), Service.class).getSpec();
        assertEquals("Cluster", balancer.getExternalTrafficPolicy());
        assertEquals(true, balancer.getAllocateLoadBalancerNodePorts());
    }

    @Test
    void headlessServicesWithoutSelectorTakeBothFamilies() {
        ServiceSpec spec = Fixtures.defaulted(SERVICE.replace("  selector: {app: web}\n", "  clusterIP: None\n"), Service.class).getSpec();
        assertEquals("RequireDualStack", spec.getIpFamilyPolicy());
        assertEquals(List.of("IPv4", "IPv6"), spec.getIpFamilies());
        assertEquals(List.of("None"), spec.getClusterIPs());
    }

    @Test
    void headlessServicesWithSelectorStaySingleStack() {
        ServiceSpec spec = Fixtures.defaulted(SERVICE.replace("spec:\n", "spec:\n  clusterIP: None\n"), Service.class).getSpec();
        assertEquals("SingleStack", spec.getIpFamilyPolicy());
        assertEquals(List.of("IPv4"), spec.getIpFamilies());
    }

    @Test
    void externalNameServicesHaveNoClusterFields() {
        ServiceSpec spec = Fixtures.defaulted("""
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec: {type: ExternalName, externalName: db.example.com}
                """, Service.class).getSpec();
        assertNull(spec.getIpFamilyPolicy());
        assertTrue(spec.getIpFamilies().isEmpty());
        assertNull(spec.getInternalTrafficPolicy());
    }

    @Test
    void clientIPAffinityGetsItsTimeout() {
        ServiceSpec spec = Fixtures.defaulted(SERVICE.replace("spec:\n", "spec:\n  sessionAffinity: ClientIP\n"), Service.class).getSpec();
        assertEquals(10800, spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds());
    }

    @Test
    void clusterIPFieldsAreKeptInStep() {
        ServiceSpec spec = Fixtures.defaulted(SERVICE.replace("spec:\n", "spec:\n  clusterIP: 10.96.0.10\n"), Service.class).getSpec();
        assertEquals(List.of("10.96.0.10"), spec.getClusterIPs());
    }

    @Test
    void namespaceDefaults() {
        Namespace namespace = Fixtures.defaulted("{apiVersion: v1, kind: Namespace, metadata: {name: team-a}}", Namespace.class);
        assertEquals(Map.of("kubernetes.io/metadata.name", "team-a"), namespace.getMetadata().getLabels());
        assertEquals(List.of("kubernetes"), namespace.getSpec().getFinalizers());
        assertEquals("Active", namespace.getStatus().getPhase());
    }

    @Test
    void theNamespaceFinalizerIsNotAddedBackOnUpdate() {
        Namespace namespace = Fixtures.defaulted("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-a, resourceVersion: "42"}
                status: {phase: Terminating}
                """, Namespace.class);
        assertTrue(namespace.getSpec().getFinalizers().isEmpty(), "the namespace controller removed it to finish deletion");
        assertEquals("Terminating", namespace.getStatus().getPhase());
    }

    @Test
    void secretDefaultsAndStringData() {
        Secret secret = Fixtures.defaulted("""
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                data: {user: YWRtaW4=, password: b2xk}
                stringData: {password: s3cr3t}
                """, Secret.class);
        assertEquals("Opaque", secret.getType());
        assertEquals(Map.of("user", "YWRtaW4=", "password", "czNjcjN0"), secret.getData(), "stringData wins and is encoded");
        assertTrue(secret.getStringData().isEmpty());
    }

    @Test
    void claimDefaults() {
        PersistentVolumeClaim claim = Fixtures.defaulted("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """, PersistentVolumeClaim.class);
        assertEquals("Filesystem", claim.getSpec().getVolumeMode());
        assertEquals("Pending", claim.getStatus().getPhase());
    }

    @Test
    void nodesCanAllocateTheirWholeCapacityByDefault() {
        Node node = Fixtures.defaulted("""
                apiVersion: v1
                kind: Node
                metadata: {name: node-1}
                status: {capacity: {cpu: "2", memory: 4Gi, pods: "110"}}
                """, Node.class);
        assertEquals(new Quantity("4Gi"), node.getStatus().getAllocatable().get("memory"));
        assertEquals(3, node.getStatus().getAllocatable().size());
    }

    @Test
    void endpointPortsDefaultToTCP() {
        Endpoints endpoints = Fixtures.defaulted("""
                apiVersion: v1
                kind: Endpoints
                metadata: {name: web}
                subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 80}]}]
                """, Endpoints.class);
        assertEquals("TCP", endpoints.getSubsets().get(0).getPorts().get(0).getProtocol());
    }
}
