package dev.tug.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultsTest {

    private static Cluster awsCluster(String... zones) {
        Cluster cluster = new Cluster("demo.example.com", "aws");
        for (String zone : zones) {
            Subnet subnet = new Subnet();
            subnet.zone = zone;
            cluster.spec.subnets.add(subnet);
        }
        return cluster;
    }

    @Test
    void awsClusterGetsNetworkSubnetsAccessAndAddons() {
        Cluster cluster = awsCluster("us-east-1a", "us-east-1b");
        Defaults.apply(cluster, List.of());

        assertEquals("172.20.0.0/16", cluster.spec.networkCIDR);
        assertEquals("us-east-1", cluster.spec.region);
        assertEquals("172.20.32.0/19", cluster.spec.subnets.get(0).cidr);
        assertEquals("172.20.64.0/19", cluster.spec.subnets.get(1).cidr);
        assertEquals("us-east-1b", cluster.spec.subnets.get(1).name);
        assertEquals(Subnet.PUBLIC, cluster.spec.subnets.get(0).type);
        assertEquals(List.of("0.0.0.0/0"), cluster.spec.kubernetesAPIAccess);
        assertEquals(List.of("0.0.0.0/0"), cluster.spec.sshAccess);
        assertTrue(cluster.spec.nodePortAccess.isEmpty(), "NodePorts stay closed unless asked for");
        assertEquals("ubuntu", cluster.spec.sshUser);
        assertEquals("dashboard", cluster.spec.addons.get(0).name);
        assertNull(cluster.spec.controlPlaneEndpoint, "set from the API load balancer by update");
    }

    @Test
    void operatorValuesAreKept() {
        Cluster cluster = awsCluster("eu-west-1a");
        cluster.spec.networkCIDR = "10.1.0.0/16";
        cluster.spec.subnets.get(0).cidr = "10.1.5.0/24";
        cluster.spec.sshUser = "debian";
        cluster.spec.kubernetesAPIAccess.add("203.0.113.0/24");
        Defaults.apply(cluster, List.of());

        assertEquals("10.1.5.0/24", cluster.spec.subnets.get(0).cidr);
        assertEquals("debian", cluster.spec.sshUser);
        assertEquals(List.of("203.0.113.0/24"), cluster.spec.kubernetesAPIAccess);
    }

    @Test
    void aDisabledAddonStaysDisabledAndIsWrittenBack() {
        Cluster cluster = awsCluster("us-east-1a");
        Addon dashboard = new Addon(Addon.DASHBOARD);
        dashboard.enabled = false;
        cluster.spec.addons.add(dashboard);
        Defaults.apply(cluster, List.of());
        assertEquals(1, cluster.spec.addons.size(), "the default dashboard is not added back");

        String yaml = Manifests.toYaml(cluster);
        assertTrue(yaml.contains("  - name: dashboard\n    enabled: false\n"), yaml);
        assertEquals(false, Manifests.parseOne("test", yaml, Cluster.class).spec.addons.get(0).enabled());
        assertTrue(new Addon(Addon.DASHBOARD).enabled(), "left out means enabled");
    }

    @Test
    void instanceGroupsTakeCloudDefaultsAndZones() {
        Cluster cluster = awsCluster("us-east-1a", "us-east-1b");
        InstanceGroup cp = new InstanceGroup("demo.example.com", "control-plane-us-east-1a", Role.CONTROL_PLANE);
        cp.spec.zones.add("us-east-1a");
        InstanceGroup nodes = new InstanceGroup("demo.example.com", "nodes", Role.NODE);
        Defaults.apply(cluster, List.of(cp, nodes));

        assertEquals("t3.medium", cp.spec.machineType);
        assertEquals(1, cp.spec.minSize);
        assertEquals(64, cp.spec.rootVolumeSize);
        assertEquals(List.of("us-east-1a"), cp.spec.subnets);
        assertEquals(List.of(Defaults.CONTROL_PLANE_TAINT), cp.spec.taints);
        assertEquals(List.of("us-east-1a", "us-east-1b"), nodes.spec.zones, "no zones means every zone");
        assertEquals(2, nodes.spec.minSize);
        assertEquals(2, nodes.spec.maxSize);
        assertEquals("nodes", nodes.spec.nodeLabels.get(ApiVersion.INSTANCE_GROUP_LABEL));
        assertEquals(cluster.spec.image, nodes.spec.image);
    }

    @Test
    void controlPlaneOnlyClusterIsNotTainted() {
        Cluster cluster = new Cluster("solo", "local");
        InstanceGroup cp = new InstanceGroup("solo", "control-plane-local", Role.CONTROL_PLANE);
        Defaults.apply(cluster, List.of(cp));

        assertTrue(cp.spec.taints.isEmpty(), "a cluster without nodes must run workloads on the control plane");
        assertEquals(List.of("local"), cp.spec.zones);
        assertEquals("127.20.0.0/16", cluster.spec.networkCIDR, "a local cluster takes a block of the loopback range");
        assertEquals("127.20.0.1:6443", cluster.spec.controlPlaneEndpoint, "its first machine runs the API server");
        assertTrue(cluster.spec.sshAccess.isEmpty(), "local machines are not reached over SSH");
    }

    @Test
    void maxSizeAloneSetsMinSize() {
        Cluster cluster = new Cluster("demo", "local");
        InstanceGroup nodes = new InstanceGroup("demo", "nodes", Role.NODE);
        nodes.spec.maxSize = 5;
        Defaults.apply(cluster, new ArrayList<>(List.of(nodes)));
        assertEquals(5, nodes.spec.minSize);
    }

    @Test
    void applyingTwiceChangesNothing() {
        Cluster cluster = awsCluster("us-east-1a", "us-east-1b");
        List<InstanceGroup> groups = List.of(new InstanceGroup("demo.example.com", "cp", Role.CONTROL_PLANE),
                new InstanceGroup("demo.example.com", "nodes", Role.NODE));
        Defaults.apply(cluster, groups);
        String once = Manifests.toYaml(List.of(cluster, groups.get(0), groups.get(1)));
        Defaults.apply(cluster, groups);
        assertEquals(once, Manifests.toYaml(List.of(cluster, groups.get(0), groups.get(1))));
    }
}
