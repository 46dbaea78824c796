package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.model.InstanceGroup;
import dev.tug.model.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManifestCommandsTest extends CliTest {

    @BeforeEach
    void demo() {
        assertEquals(0, tug("create", "cluster", "demo", "--cloud", "local", "--node-count", "1").exit());
    }

    private Path file(String name, String yaml) throws Exception {
        Path file = home.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void createFileAddsAnInstanceGroupToAnExistingCluster() throws Exception {
        Path gpu = file("gpu.yaml", """
                apiVersion: tug.dev/v1alpha1
                kind: InstanceGroup
                metadata:
                  name: gpu
                  labels:
                    tug.dev/cluster: demo
                spec:
                  role: Node
                  minSize: 1
                  maxSize: 3
                  taints:
                  - dedicated=gpu:NoSchedule
                """);
        Result r = tug("create", "-f", gpu.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("instancegroup/gpu created\n", r.out());
        InstanceGroup stored = Manifests.parseOne("gpu", snapshot().get("demo/instancegroup/gpu"), InstanceGroup.class);
        assertEquals(3, stored.spec.maxSize);
        assertEquals("gpu", stored.spec.nodeLabels.get("tug.dev/instancegroup"), "defaults applied before storing");

        Result again = tug("create", "-f", gpu.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().startsWith("Error: instancegroup/gpu of cluster demo already exists;"), again::toString);
    }

    @Test
    void replaceChangesWhatTheFileSaysAndKeepsCreationTime() throws Exception {
        String yaml = tug("get", "ig", "--name", "demo", "nodes-local", "-o", "yaml").out();
        String created = Manifests.parseOne("ig", yaml, InstanceGroup.class).metadata.creationTimestamp;
        Result r = tugWithInput(yaml.replace("minSize: 1", "minSize: 4").replace("maxSize: 1", "maxSize: 6"),
                "replace", "-f", "-");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("instancegroup/nodes-local replaced\n", r.out());
        InstanceGroup stored = Manifests.parseOne("ig", snapshot().get("demo/instancegroup/nodes-local"),
                InstanceGroup.class);
        assertEquals(4, stored.spec.minSize);
        assertEquals(6, stored.spec.maxSize);
        assertEquals(created, stored.metadata.creationTimestamp);
    }

    @Test
    void replaceKeepsConfigBaseWhenTheFileLeavesItOut() {
        String yaml = tug("get", "clusters", "demo", "-o", "yaml").out();
        String withoutConfigBase = yaml.lines().filter(l -> !l.contains("configBase:"))
                .reduce("", (a, b) -> a + b + "\n");
        Result r = tugWithInput(withoutConfigBase.replace("127.20.0.0/16", "10.20.0.0/16"), "replace", "-f", "-");
        assertEquals(0, r.exit(), r::toString);
        String stored = snapshot().get("demo/config");
        assertTrue(stored.contains("configBase: file://" + stateDir() + "/demo"), stored);
        assertTrue(stored.contains("networkCIDR: 10.20.0.0/16"), stored);
    }

    @Test
    void replaceOfSomethingMissingNeedsForce() throws Exception {
        String yaml = tug("create", "cluster", "other", "--cloud", "local", "--dry-run").out();
        Result r = tugWithInput(yaml, "replace", "-f", "-");
        assertEquals(1, r.exit());
        assertEquals("Error: cluster other does not exist in file://" + stateDir()
                + "; create it with `tug create -f`, or use --force\n", r.err());
        assertEquals(0, tugWithInput(yaml, "replace", "-f", "-", "--force").exit());
        assertTrue(snapshot().containsKey("other/config"));
    }

    @Test
    void invalidFilesChangeNothing() throws Exception {
        Map<String, String> before = snapshot();
        String cluster = tug("get", "clusters", "demo", "-o", "yaml").out();
        Map<String, String> cases = Map.of(
                cluster.replace("networkCIDR:", "networkCidr:"),
                "Error: standard input (document 1): spec.networkCidr: unknown field; known fields here: addons,"
                        + " cloudLabels, cloudProvider, configBase, controlPlaneEndpoint, image, kubernetesAPIAccess,"
                        + " networkCIDR, nodePortAccess, region, sshAccess, sshUser, subnets\n",
                cluster.replace("cloudProvider: local", "cloudProvider: aws"),
                "Error: spec.cloudProvider cannot be changed (local -> aws); create a new cluster instead\n",
                cluster.replace("127.20.0.0/16", "127.20.0.0/99"),
                "Error: cluster demo is not valid: spec.networkCIDR: 127.20.0.0/99 is not a valid CIDR\n",
                cluster + "---\napiVersion: tug.dev/v1alpha1\nkind: InstanceGroup\nmetadata: {name: nodes-local}\n"
                        + "spec: {role: ControlPlane}\n",
                "Error: instancegroup/nodes-local spec.role cannot be changed (Node -> ControlPlane); create a new"
                        + " instance group instead\n");
        for (var c : cases.entrySet()) {
            Result r = tugWithInput(c.getKey(), "replace", "-f", "-");
            assertEquals(1, r.exit(), r::toString);
            assertEquals(c.getValue(), r.err());
            assertEquals(before, snapshot());
        }
        Result orphan = tugWithInput("apiVersion: tug.dev/v1alpha1\nkind: InstanceGroup\nmetadata:\n  name: x\n"
                + "  labels: {tug.dev/cluster: nope}\nspec: {role: Node}\n", "create", "-f", "-");
        assertEquals(1, orphan.exit());
        assertEquals("Error: cluster nope does not exist in file://" + stateDir()
                + "; create the cluster first, or put its Cluster in the same file\n", orphan.err());
        assertEquals(before, snapshot());
        Result missing = tug("create", "-f", home.resolve("nope.yaml").toString());
        assertEquals("Error: file " + home.resolve("nope.yaml") + " does not exist\n", missing.err());
    }
}
