package dev.tug.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestsTest {

    private static NewCluster.Spec spec() {
        NewCluster.Options options = new NewCluster.Options();
        options.name = "demo.example.com";
        options.cloud = "gcp";
        options.zones = List.of("us-central1-a", "us-central1-b");
        options.nodeCount = 3;
        options.cloudLabels.put("team", "infra");
        return NewCluster.build(options);
    }

    @Test
    void yamlRoundTripKeepsEveryField() {
        NewCluster.Spec spec = spec();
        spec.cluster().metadata.creationTimestamp = "2026-11-22T10:00:00Z";
        String yaml = Manifests.toYaml(spec.objects());

        List<Object> back = Manifests.parse("test", yaml);
        assertEquals(3 + 1, back.size(), "cluster, one control plane group, two node groups");
        assertEquals(yaml, Manifests.toYaml(back));
        Cluster cluster = assertInstanceOf(Cluster.class, back.get(0));
        assertEquals("2026-11-22T10:00:00Z", cluster.metadata.creationTimestamp, "timestamps stay strings");
        assertEquals("infra", cluster.spec.cloudLabels.get("team"));
    }

    @Test
    void yamlLooksLikeKubectlOutput() {
        String yaml = Manifests.toYaml(spec().cluster());
        assertTrue(yaml.startsWith("apiVersion: tug.dev/v1alpha1\nkind: Cluster\nmetadata:\n  name: demo.example.com\n"),
                yaml);
        assertTrue(yaml.contains("  subnets:\n  - name: us-central1-a\n    zone: us-central1-a\n"), yaml);
        assertTrue(!yaml.contains("null") && !yaml.contains("[]"), "empty fields are left out: " + yaml);
    }

    @Test
    void jsonIsValidAndSingleObjectsAreNotWrapped() throws Exception {
        NewCluster.Spec spec = spec();
        JsonNode one = new ObjectMapper().readTree(Manifests.toJson(spec.cluster()));
        assertEquals("Cluster", one.get("kind").asText());
        assertEquals("us-central1", one.at("/spec/region").asText());
        JsonNode list = new ObjectMapper().readTree(Manifests.toJsonList(spec.instanceGroups()));
        assertEquals("List", list.get("kind").asText());
        assertEquals(3, list.get("items").size());
        assertTrue(Manifests.toJson(spec.cluster()).contains("\n    \"kind\": \"Cluster\""), "kubectl's layout");
    }

    @Test
    void unknownFieldNamesItsPath() {
        String yaml = """
                apiVersion: tug.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: demo
                spec:
                  cloudProvider: aws
                  subnets:
                  - zone: us-east-1a
                    cidrr: 172.20.32.0/19
                """;
        SpecException e = assertThrows(SpecException.class, () -> Manifests.parse("demo.yaml", yaml));
        assertTrue(e.getMessage().startsWith("demo.yaml (document 1): spec.subnets[0].cidrr: unknown field;"
                + " known fields here: cidr, name, type, zone"), e.getMessage());
    }

    @Test
    void wrongTypeIsExplained() {
        String yaml = """
                apiVersion: tug.dev/v1alpha1
                kind: InstanceGroup
                metadata: {name: nodes}
                spec: {role: Node, minSize: lots}
                """;
        SpecException e = assertThrows(SpecException.class, () -> Manifests.parse("ig.yaml", yaml));
        assertEquals("ig.yaml (document 1): spec.minSize: \"lots\" is not a whole number", e.getMessage());

        SpecException list = assertThrows(SpecException.class, () -> Manifests.parse("ig.yaml",
                yaml.replace("minSize: lots", "zones: us-east-1a")));
        assertEquals("ig.yaml (document 1): spec.zones: expected a list", list.getMessage());
    }

    @Test
    void brokenYamlGivesTheLine() {
        SpecException e = assertThrows(SpecException.class, () -> Manifests.parse("bad.yaml",
                "apiVersion: tug.dev/v1alpha1\nkind: Cluster\nmetadata:\n  name: [demo\n"));
        assertTrue(e.getMessage().startsWith("bad.yaml: not valid YAML at line "), e.getMessage());
    }

    @Test
    void duplicateKeysAreRejected() {
        SpecException e = assertThrows(SpecException.class, () -> Manifests.parse("dup.yaml",
                "apiVersion: tug.dev/v1alpha1\nkind: Cluster\nkind: Cluster\n"));
        assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
    }

    @Test
    void foreignObjectsAreRejectedByKindAndVersion() {
        SpecException kind = assertThrows(SpecException.class, () -> Manifests.parse("x.yaml",
                "apiVersion: tug.dev/v1alpha1\nkind: Deployment\n"));
        assertEquals("x.yaml (document 1): kind \"Deployment\" is unknown; use Cluster or InstanceGroup",
                kind.getMessage());
        SpecException version = assertThrows(SpecException.class, () -> Manifests.parse("x.yaml",
                "---\n---\napiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\n"));
        assertEquals("x.yaml (document 2): apiVersion \"kops.k8s.io/v1alpha2\" is not supported; use tug.dev/v1alpha1",
                version.getMessage());
    }

    @Test
    void emptyInputIsAnError() {
        assertThrows(SpecException.class, () -> Manifests.parse("empty.yaml", "# nothing\n"));
    }
}
