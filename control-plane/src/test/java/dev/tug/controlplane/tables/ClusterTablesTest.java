package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.TableFixtures.ago;
import static dev.tug.controlplane.tables.TableFixtures.cells;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterTablesTest {

    private static final String CREATED = "\"creationTimestamp\": \"" + ago(Duration.ofDays(10)) + "\"";

    @Test
    void namespaceShowsItsPhase() {
        assertEquals(List.of("kube-system", "Active", "10d"), cells("Namespace",
                "{\"metadata\": {\"name\": \"kube-system\", " + CREATED + "}, \"status\": {\"phase\": \"Active\"}}"));
        assertEquals("Terminating", cells("Namespace", "{\"status\": {\"phase\": \"Terminating\"}}").get(1));
    }

    @Test
    void readyControlPlaneNodeWithEveryWideColumn() {
        String node = "{\"metadata\": {\"name\": \"cp-1\", " + CREATED + ", \"labels\": {"
                + "\"node-role.kubernetes.io/control-plane\": \"\", \"node-role.kubernetes.io/etcd\": \"true\","
                + " \"kubernetes.io/hostname\": \"cp-1\"}}, \"status\": {\"conditions\": ["
                + "{\"type\": \"MemoryPressure\", \"status\": \"False\"}, {\"type\": \"Ready\", \"status\": \"True\"}],"
                + " \"addresses\": [{\"type\": \"Hostname\", \"address\": \"cp-1\"}, {\"type\": \"InternalIP\","
                + " \"address\": \"172.20.32.10\"}, {\"type\": \"ExternalIP\", \"address\": \"203.0.113.4\"}],"
                + " \"nodeInfo\": {\"kubeletVersion\": \"v1.32.3\", \"osImage\": \"Ubuntu 24.04.2 LTS\","
                + " \"kernelVersion\": \"6.8.0-1021-aws\", \"containerRuntimeVersion\": \"containerd://1.7.27\"}}}";

        assertEquals(List.of("cp-1", "Ready", "control-plane,etcd", "10d", "v1.32.3", "172.20.32.10", "203.0.113.4",
                "Ubuntu 24.04.2 LTS", "6.8.0-1021-aws", "containerd://1.7.27"), cells("Node", node));
    }

    @Test
    void cordonedNotReadyNodeWithALegacyRoleLabel() {
        String node = "{\"metadata\": {\"name\": \"n-2\", " + CREATED + ", \"labels\": {\"kubernetes.io/role\": \"node\"}},"
                + " \"spec\": {\"unschedulable\": true}, \"status\": {\"conditions\": [{\"type\": \"Ready\","
                + " \"status\": \"Unknown\"}]}}";

        assertEquals(List.of("n-2", "NotReady,SchedulingDisabled", "node", "10d", "", "<none>", "<none>", "<unknown>",
                "<unknown>", "<unknown>"), cells("Node", node));
    }

    @Test
    void nodeWithoutConditionsOrRolesIsUnknownWithNoRoles() {
        assertEquals(List.of("n-3", "Unknown", "<none>"),
                cells("Node", "{\"metadata\": {\"name\": \"n-3\", \"labels\": {\"node-role.kubernetes.io/\": \"\"}}}")
                        .subList(0, 3));
    }
}
