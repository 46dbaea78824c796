package dev.tug.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    /** A valid, defaulted aws cluster with one control plane and one node group. */
    private static NewCluster.Spec valid() {
        NewCluster.Options options = new NewCluster.Options();
        options.name = "demo.example.com";
        options.cloud = "aws";
        options.zones = List.of("us-east-1a", "us-east-1b");
        return NewCluster.build(options);
    }

    private static List<String> problems(NewCluster.Spec spec) {
        return Validator.validate(spec.cluster(), spec.instanceGroups()).stream().map(Problem::toString).toList();
    }

    @Test
    void aDefaultedClusterIsValid() {
        assertEquals(List.of(), problems(valid()));
    }

    @Test
    void invalidCidrIsReportedWithItsFieldPath() {
        NewCluster.Spec spec = valid();
        spec.cluster().spec.subnets.get(0).cidr = "10.0.0.0/33";
        assertTrue(problems(spec).contains("spec.subnets[0].cidr: 10.0.0.0/33 is not a valid CIDR"), problems(spec)::toString);
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        NewCluster.Spec spec = valid();
        spec.cluster().spec.networkCIDR = "banana";
        spec.cluster().spec.kubernetesAPIAccess.set(0, "1.2.3.4/40");
        spec.cluster().spec.subnets.get(1).zone = "eu-west-1a";
        spec.instanceGroups().get(1).spec.taints.add("dedicated=gpu:Sometimes");
        spec.instanceGroups().get(1).spec.minSize = 4;
        spec.instanceGroups().get(1).spec.maxSize = 3;

        List<String> problems = problems(spec);
        assertTrue(problems.contains("spec.networkCIDR: banana is not a valid CIDR"), problems::toString);
        assertTrue(problems.contains("spec.kubernetesAPIAccess[0]: 1.2.3.4/40 is not a valid CIDR"), problems::toString);
        assertTrue(problems.contains("spec.subnets[1].zone: zone eu-west-1a is not in region us-east-1 (it is in eu-west-1)"),
                problems::toString);
        String group = "instancegroup[" + spec.instanceGroups().get(1).name() + "]";
        assertTrue(problems.contains(group + ".spec.maxSize: 3 is less than minSize 4"), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(group + ".spec.taints[0]: \"dedicated=gpu:Sometimes\"")),
                problems::toString);
    }

    @Test
    void subnetsMustFitTheNetworkAndNotOverlap() {
        NewCluster.Spec spec = valid();
        spec.cluster().spec.subnets.get(0).cidr = "10.0.0.0/24";
        spec.cluster().spec.subnets.get(1).cidr = "172.20.32.0/19";
        spec.cluster().spec.subnets.add(new Subnet("extra", "us-east-1a", "172.20.40.0/24", "Public"));
        List<String> problems = problems(spec);
        assertTrue(problems.contains("spec.subnets[0].cidr: 10.0.0.0/24 is not inside spec.networkCIDR 172.20.0.0/16"),
                problems::toString);
        assertTrue(problems.contains("spec.subnets[2].cidr: 172.20.40.0/24 overlaps spec.subnets[1].cidr 172.20.32.0/19"),
                problems::toString);
    }

    @Test
    void cidrWithHostBitsIsNotAcceptedAsABlock() {
        assertTrue(Cidr.parse("10.1.2.3/16").isEmpty());
        assertTrue(Cidr.parse("10.1.0.0/16").isPresent());
        assertTrue(Cidr.parse("::/0").isEmpty(), "IPv6 is not supported in the spec");
    }

    @Test
    void clusterNamesMustBeDnsNames() {
        assertEquals(null, Validator.nameProblem("demo.example.com"));
        assertTrue(Validator.nameProblem("Demo").contains("not a valid cluster name"));
        assertTrue(Validator.nameProblem("-demo").contains("not a valid cluster name"));
        assertTrue(Validator.nameProblem("a".repeat(64)).contains("at most 63"));
    }

    @Test
    void unknownCloudAndRoleAreNamed() {
        Cluster cluster = new Cluster("demo", "azure");
        InstanceGroup group = new InstanceGroup("demo", "workers", "Worker");
        List<String> problems = Validator.validate(cluster, List.of(group)).stream().map(Problem::toString).toList();
        assertTrue(problems.contains("spec.cloudProvider: \"azure\" is not supported; use one of aws, gcp, local, metal"),
                problems::toString);
        assertTrue(problems.contains("instancegroup[workers].spec.role: \"Worker\" is not ControlPlane or Node"),
                problems::toString);
        assertTrue(problems.contains("instancegroups: the cluster needs an instance group with role ControlPlane"),
                problems::toString);
    }

    @Test
    void controlPlaneNeedsAnOddMajority() {
        NewCluster.Spec spec = valid();
        spec.instanceGroups().get(0).spec.minSize = 2;
        spec.instanceGroups().get(0).spec.maxSize = 2;
        assertTrue(problems(spec).stream().anyMatch(p -> p.startsWith("instancegroups: the control plane has 2 machines")));
    }

    @Test
    void groupZonesMustBeClusterZones() {
        NewCluster.Spec spec = valid();
        spec.instanceGroups().get(1).spec.zones = new ArrayList<>(List.of("us-east-1f"));
        String group = "instancegroup[" + spec.instanceGroups().get(1).name() + "]";
        assertTrue(problems(spec).contains(group + ".spec.zones[0]: zone us-east-1f has no subnet in the cluster"
                + " (cluster zones: us-east-1a, us-east-1b)"), problems(spec)::toString);
    }

    @Test
    void metalGroupsNeedTheirHosts() {
        Cluster cluster = new Cluster("lab", "metal");
        InstanceGroup cp = new InstanceGroup("lab", "control-plane-metal", Role.CONTROL_PLANE);
        InstanceGroup nodes = new InstanceGroup("lab", "nodes-metal", Role.NODE);
        nodes.spec.hosts.addAll(List.of("10.0.0.11", "10.0.0.11", "bad host"));
        Defaults.apply(cluster, List.of(cp, nodes));
        List<String> problems = Validator.validate(cluster, List.of(cp, nodes)).stream().map(Problem::toString).toList();
        assertTrue(problems.contains("instancegroup[control-plane-metal].spec.hosts: metal instance groups list their"
                + " machines here ([user@]host[:port])"), problems::toString);
        assertTrue(problems.contains("instancegroup[nodes-metal].spec.hosts[1]: 10.0.0.11 is listed twice"),
                problems::toString);
        assertTrue(problems.contains("instancegroup[nodes-metal].spec.hosts[2]: \"bad host\" is not [user@]host[:port]"),
                problems::toString);
    }

    @Test
    void unknownAddonIsRejected() {
        NewCluster.Spec spec = valid();
        spec.cluster().spec.addons.add(new Addon("metrics-thing"));
        assertTrue(problems(spec).contains("spec.addons[1].name: unknown add-on \"metrics-thing\"; known add-ons: dashboard"));
    }
}
