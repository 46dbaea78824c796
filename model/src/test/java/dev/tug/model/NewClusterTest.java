package dev.tug.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NewClusterTest {

    private static NewCluster.Options options(String cloud, String... zones) {
        NewCluster.Options options = new NewCluster.Options();
        options.name = "demo";
        options.cloud = cloud;
        options.zones = List.of(zones);
        return options;
    }

    private static String summary(NewCluster.Spec spec) {
        return String.join(" ", spec.instanceGroups().stream()
                .map(g -> g.name() + "=" + g.spec.minSize).toList());
    }

    @Test
    void machinesAreSpreadOverZones() {
        NewCluster.Options options = options("aws", "us-east-1a", "us-east-1b", "us-east-1c");
        options.controlPlaneCount = 3;
        options.nodeCount = 4;
        NewCluster.Spec spec = NewCluster.build(options);
        assertEquals("control-plane-us-east-1a=1 control-plane-us-east-1b=1 control-plane-us-east-1c=1"
                + " nodes-us-east-1a=2 nodes-us-east-1b=1 nodes-us-east-1c=1", summary(spec));
        assertEquals(3, spec.cluster().spec.subnets.size());
    }

    @Test
    void defaultIsOneNodePerZone() {
        NewCluster.Spec spec = NewCluster.build(options("gcp", "europe-west1-b", "europe-west1-c"));
        assertEquals("control-plane-europe-west1-b=1 nodes-europe-west1-b=1 nodes-europe-west1-c=1", summary(spec));
        assertEquals("europe-west1", spec.cluster().spec.region);
        assertEquals("e2-medium", spec.instanceGroups().get(1).spec.machineType);
    }

    @Test
    void sizesAndImagePassThrough() {
        NewCluster.Options options = options("aws", "us-west-2a");
        options.nodeSize = "m5.large";
        options.controlPlaneSize = "c5.xlarge";
        options.image = "ami-123";
        NewCluster.Spec spec = NewCluster.build(options);
        assertEquals("c5.xlarge", spec.instanceGroups().get(0).spec.machineType);
        assertEquals("m5.large", spec.instanceGroups().get(1).spec.machineType);
        assertEquals("ami-123", spec.instanceGroups().get(1).spec.image);
    }

    @Test
    void localClusterHasOneZoneAndNoSubnets() {
        NewCluster.Options options = options("local");
        options.nodeCount = 2;
        NewCluster.Spec spec = NewCluster.build(options);
        assertEquals("control-plane-local=1 nodes-local=2", summary(spec));
        assertTrue(spec.cluster().spec.subnets.isEmpty());
    }

    @Test
    void zeroNodesGivesAControlPlaneThatRunsWorkloads() {
        NewCluster.Options options = options("local");
        options.nodeCount = 0;
        NewCluster.Spec spec = NewCluster.build(options);
        assertEquals("control-plane-local=1", summary(spec));
        assertTrue(spec.instanceGroups().get(0).spec.taints.isEmpty());
    }

    @Test
    void metalGroupsAreItsHosts() {
        NewCluster.Options options = options("metal");
        options.controlPlaneHosts = List.of("127.0.0.2");
        options.nodeHosts = List.of("127.0.0.3", "127.0.0.4:2222");
        NewCluster.Spec spec = NewCluster.build(options);
        assertEquals("control-plane-metal=1 nodes-metal=2", summary(spec));
        assertEquals(List.of("127.0.0.3", "127.0.0.4:2222"), spec.instanceGroups().get(1).spec.hosts);
        assertEquals("root", spec.cluster().spec.sshUser);
    }

    @Test
    void flagMistakesAreAllReportedByFlag() {
        NewCluster.Options options = options("local", "us-east-1a");
        options.controlPlaneCount = 2;
        options.nodeSize = "t3.large";
        SpecException e = assertThrows(SpecException.class, () -> NewCluster.build(options));
        List<String> problems = e.problems().stream().map(Problem::toString).toList();
        assertEquals(List.of(
                "--zones: zones are not used with --cloud local; leave --zones out",
                "--control-plane-count: 2 is not supported; use 1, or 3 for a highly available control plane",
                "--node-size: machine sizes are not used with --cloud local; leave --node-size out"), problems);
    }

    @Test
    void zonesOfAnotherRegionAreRefused() {
        NewCluster.Options options = options("aws", "us-east-1a");
        options.region = "eu-west-1";
        SpecException e = assertThrows(SpecException.class, () -> NewCluster.build(options));
        assertEquals("cannot create cluster demo: --zones: zone us-east-1a does not belong to region eu-west-1"
                + " (it is in us-east-1); all zones of a cluster must be in one region", e.getMessage());
    }

    @Test
    void malformedZoneIsRefused() {
        SpecException e = assertThrows(SpecException.class, () -> NewCluster.build(options("gcp", "us-east-1a")));
        assertTrue(e.getMessage().contains("\"us-east-1a\" is not a gcp zone (for example us-central1-a)"),
                e.getMessage());
    }

    @Test
    void nameAndCloudAreCheckedFirst() {
        NewCluster.Options bad = options("aws", "us-east-1a");
        bad.name = "My_Cluster";
        assertTrue(assertThrows(SpecException.class, () -> NewCluster.build(bad)).getMessage()
                .startsWith("\"My_Cluster\" is not a valid cluster name"));
        assertEquals("unknown cloud \"azure\"; use one of aws, gcp, local, metal",
                assertThrows(SpecException.class, () -> NewCluster.build(options("azure"))).getMessage());
    }
}
