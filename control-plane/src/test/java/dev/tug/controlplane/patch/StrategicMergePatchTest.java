package dev.tug.controlplane.patch;

import static dev.tug.controlplane.patch.PatchTesting.apply;
import static dev.tug.controlplane.patch.PatchTesting.failure;
import static dev.tug.controlplane.patch.PatchTesting.json;
import static dev.tug.controlplane.patch.PatchTesting.strings;
import static dev.tug.controlplane.patch.PatchTesting.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

    /** A deployment as the server stores it: with defaults and status. */
    private static final JsonNode DEPLOYMENT = json("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"default","uid":"d-1","resourceVersion":"7","generation":3,
                         "labels":{"app":"web"},
                         "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\\n"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
                     "template":{"metadata":{"labels":{"app":"web"}},
                                 "spec":{"containers":[
                                            {"name":"web","image":"nginx:1.27","imagePullPolicy":"IfNotPresent",
                                             "args":["--port","80"],
                                             "env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"C","value":"3"}],
                                             "ports":[{"containerPort":80,"protocol":"TCP"}],
                                             "volumeMounts":[{"name":"cfg","mountPath":"/etc/web"}]},
                                            {"name":"sidecar","image":"busybox:1.36","imagePullPolicy":"IfNotPresent"}],
                                         "volumes":[{"name":"cfg","configMap":{"name":"web-config","defaultMode":420}}],
                                         "restartPolicy":"Always"}}},
             "status":{"replicas":2,"conditions":[
                 {"type":"Available","status":"True","reason":"MinimumReplicasAvailable","lastTransitionTime":"2025-01-01T00:00:00Z"},
                 {"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable","lastTransitionTime":"2025-01-01T00:00:00Z"}]}}
            """);

    private static JsonNode patchDeployment(String patch) throws PatchException {
        return apply(Patches.STRATEGIC_MERGE_PATCH, DEPLOYMENT, json(patch), Deployment.class);
    }

    private static JsonNode container(JsonNode deployment, String name) {
        for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
            if (container.path("name").asText().equals(name)) {
                return container;
            }
        }
        throw new AssertionError("no container " + name + " in " + deployment);
    }

    /** Directives are instructions, never data: none may survive into a stored object. */
    private static void assertNoDirectives(JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                assertFalse(field.getKey().startsWith("$"), "directive left in result: " + field.getKey());
                assertNoDirectives(field.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(StrategicMergePatchTest::assertNoDirectives);
        }
    }

    // --- what kubectl 1.32 sends -------------------------------------------------------------

    @Test
    void kubectlApplyChangingAnImageAndRemovingAnEnvVar() throws PatchException {
        JsonNode result = patchDeployment("""
                {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"new\\":true}\\n"}},
                 "spec":{"template":{"spec":{
                     "$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
                     "containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"C"}],
                                    "env":[{"$patch":"delete","name":"B"}],
                                    "image":"nginx:1.28","name":"web"}]}}}}
                """);
        JsonNode web = container(result, "web");
        assertEquals("nginx:1.28", web.get("image").asText());
        assertEquals(List.of("A", "C"), values(web.get("env"), "name"));
        assertEquals("3", web.at("/env/1/value").asText());
        assertEquals("IfNotPresent", web.get("imagePullPolicy").asText(), "server defaults survive");
        assertEquals(DEPLOYMENT.at("/spec/template/spec/containers/1"), container(result, "sidecar"));
        assertEquals(List.of("web", "sidecar"), values(result.at("/spec/template/spec/containers"), "name"));
        assertEquals("{\"new\":true}\n",
                result.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asText());
        assertNoDirectives(result);
    }

    @Test
    void kubectlApplyAddingAContainerInTheMiddle() throws PatchException {
        JsonNode result = patchDeployment("""
                {"spec":{"template":{"spec":{
                     "$setElementOrder/containers":[{"name":"web"},{"name":"metrics"},{"name":"sidecar"}],
                     "containers":[{"$setElementOrder/ports":[{"containerPort":9090}],
                                    "image":"prom/exporter:1","name":"metrics",
                                    "ports":[{"containerPort":9090,"name":"metrics"}]}]}}}}
                """);
        assertEquals(List.of("web", "metrics", "sidecar"), values(result.at("/spec/template/spec/containers"), "name"));
        assertEquals(9090, container(result, "metrics").at("/ports/0/containerPort").asInt());
        assertNoDirectives(result);
    }

    @Test
    void kubectlEditRemovingAContainer() throws PatchException {
        JsonNode result = patchDeployment("""
                {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
                                             "containers":[{"$patch":"delete","name":"sidecar"}]}}}}
                """);
        assertEquals(List.of("web"), values(result.at("/spec/template/spec/containers"), "name"));
        assertEquals(DEPLOYMENT.at("/spec/template/spec/containers/0"), container(result, "web"));
    }

    @Test
    void kubectlApplyOfAServiceChangingAPort() throws PatchException {
        JsonNode service = json("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},
                 "spec":{"type":"ClusterIP","clusterIP":"10.96.0.20","selector":{"app":"web"},
                         "ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"},
                                  {"name":"https","port":443,"targetPort":8443,"protocol":"TCP"}]}}
                """);
        JsonNode result = apply(Patches.STRATEGIC_MERGE_PATCH, service, json("""
                {"spec":{"$setElementOrder/ports":[{"port":8080},{"port":443}],
                         "ports":[{"name":"http","port":8080,"targetPort":8080},{"$patch":"delete","port":80}]}}
                """), Service.class);
        JsonNode ports = result.at("/spec/ports");
        assertEquals(List.of("8080", "443"), values(ports, "port"));
        assertEquals(json("{\"name\":\"http\",\"port\":8080,\"targetPort\":8080}"), ports.get(0),
                "the deleted port 80 leaves nothing behind");
        assertEquals(service.at("/spec/ports/1"), ports.get(1));
        assertEquals("10.96.0.20", result.at("/spec/clusterIP").asText());
    }

    @Test
    void kubectlSetImageTouchesOnlyThatContainer() throws PatchException {
        JsonNode result = patchDeployment(
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"busybox:1.37\",\"name\":\"sidecar\"}]}}}}");
        assertEquals("busybox:1.37", container(result, "sidecar").get("image").asText());
        assertEquals(DEPLOYMENT.at("/spec/template/spec/containers/0"), container(result, "web"));
        assertEquals(2, result.at("/spec/template/spec/containers").size());
    }

    @Test
    void kubectlRolloutRestartAddsATemplateAnnotation() throws PatchException {
        JsonNode result = patchDeployment("""
                {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2025-01-15T10:00:00Z"}}}}}
                """);
        assertEquals("2025-01-15T10:00:00Z",
                result.at("/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt").asText());
        assertEquals("web", result.at("/spec/template/metadata/labels/app").asText());
        assertEquals(DEPLOYMENT.at("/spec/template/spec"), result.at("/spec/template/spec"));
    }

    @Test
    void kubectlRolloutPauseAndResume() throws PatchException {
        JsonNode paused = patchDeployment("{\"spec\":{\"paused\":true}}");
        assertTrue(paused.at("/spec/paused").asBoolean());
        JsonNode resumed = apply(Patches.STRATEGIC_MERGE_PATCH, paused, json("{\"spec\":{\"paused\":null}}"),
                Deployment.class);
        assertFalse(resumed.get("spec").has("paused"));
        assertEquals(DEPLOYMENT, resumed);
    }

    @Test
    void retainKeysSwitchesTheStrategyFromRollingUpdateToRecreate() throws PatchException {
        JsonNode result = patchDeployment("{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"}}}");
        assertEquals(json("{\"type\":\"Recreate\"}"), result.at("/spec/strategy"));
    }

    @Test
    void retainKeysSwitchesAVolumeSource() throws PatchException {
        JsonNode result = patchDeployment("""
                {"spec":{"template":{"spec":{"$setElementOrder/volumes":[{"name":"cfg"}],
                     "volumes":[{"$retainKeys":["name","secret"],"name":"cfg","secret":{"secretName":"web-secret"}}]}}}}
                """);
        assertEquals(json("{\"name\":\"cfg\",\"secret\":{\"secretName\":\"web-secret\"}}"),
                result.at("/spec/template/spec/volumes/0"));
    }

    @Test
    void retainKeysMustListEveryKeyThePatchSets() {
        failure(PatchException.Kind.UNPROCESSABLE, Patches.STRATEGIC_MERGE_PATCH, DEPLOYMENT,
                json("{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"RollingUpdate\","
                        + "\"rollingUpdate\":{\"maxSurge\":1}}}}"), Deployment.class);
    }

    @Test
    void finalizersMergeAsASetWithDeletionAndOrder() throws PatchException {
        JsonNode pod = json("{\"metadata\":{\"name\":\"p\",\"finalizers\":[\"example.com/a\",\"example.com/b\",\"example.com/c\"]}}");
        // kubectl apply: the file now lists c, a, d (b was removed from it)
        JsonNode result = apply(Patches.STRATEGIC_MERGE_PATCH, pod, json("""
                {"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/b"],
                             "$setElementOrder/finalizers":["example.com/c","example.com/a","example.com/d"],
                             "finalizers":["example.com/d"]}}
                """), Pod.class);
        assertEquals(List.of("example.com/c", "example.com/a", "example.com/d"), strings(result.at("/metadata/finalizers")));
        assertNoDirectives(result);

        JsonNode added = apply(Patches.STRATEGIC_MERGE_PATCH, pod,
                json("{\"metadata\":{\"finalizers\":[\"example.com/a\",\"example.com/z\"]}}"), Pod.class);
        assertEquals(List.of("example.com/a", "example.com/b", "example.com/c", "example.com/z"),
                strings(added.at("/metadata/finalizers")), "a set: no duplicates, additions at the end");

        JsonNode unchanged = apply(Patches.STRATEGIC_MERGE_PATCH, pod, json("{\"metadata\":{\"finalizers\":[]}}"), Pod.class);
        assertEquals(pod, unchanged, "merging an empty set changes nothing; null clears the list");
        JsonNode cleared = apply(Patches.STRATEGIC_MERGE_PATCH, pod, json("{\"metadata\":{\"finalizers\":null}}"), Pod.class);
        assertFalse(cleared.get("metadata").has("finalizers"));
    }

    // --- merge metadata ------------------------------------------------------------------------

    @Test
    void listsWithoutAStrategyAreReplaced() throws PatchException {
        JsonNode result = patchDeployment(
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"args\":[\"--port\",\"8080\"]}]}}}}");
        assertEquals(List.of("--port", "8080"), strings(container(result, "web").get("args")));
    }

    @Test
    void nestedListsMergeByTheirOwnKeys() throws PatchException {
        JsonNode result = patchDeployment("""
                {"spec":{"template":{"spec":{"containers":[{"name":"web",
                     "env":[{"name":"B","value":"two"},{"name":"D","value":"4"}],
                     "ports":[{"containerPort":443,"protocol":"TCP"}],
                     "volumeMounts":[{"mountPath":"/etc/web","readOnly":true}]}]}}}}
                """);
        JsonNode web = container(result, "web");
        assertEquals(List.of("A", "B", "C", "D"), values(web.get("env"), "name"));
        assertEquals("two", web.at("/env/1/value").asText());
        assertEquals(List.of("80", "443"), values(web.get("ports"), "containerPort"));
        assertEquals(json("{\"name\":\"cfg\",\"mountPath\":\"/etc/web\",\"readOnly\":true}"), web.at("/volumeMounts/0"));
    }

    @Test
    void statusConditionsMergeByType() throws PatchException {
        JsonNode result = patchDeployment("""
                {"status":{"conditions":[{"type":"Available","status":"False","reason":"MinimumReplicasUnavailable"}]}}
                """);
        JsonNode conditions = result.at("/status/conditions");
        assertEquals(List.of("Available", "Progressing"), values(conditions, "type"));
        assertEquals("False", conditions.at("/0/status").asText());
        assertEquals("2025-01-01T00:00:00Z", conditions.at("/0/lastTransitionTime").asText());
        assertEquals(DEPLOYMENT.at("/status/conditions/1"), conditions.get(1));
    }

    @Test
    void nodeAddressesMergeByTypeAndPodCidrsAsASet() throws PatchException {
        JsonNode node = json("""
                {"kind":"Node","metadata":{"name":"n1"},"spec":{"podCIDRs":["10.244.1.0/24"]},
                 "status":{"addresses":[{"type":"InternalIP","address":"10.0.0.5"},{"type":"Hostname","address":"n1"}]}}
                """);
        JsonNode result = apply(Patches.STRATEGIC_MERGE_PATCH, node, json("""
                {"spec":{"podCIDRs":["fd00::/64"]},
                 "status":{"addresses":[{"type":"InternalIP","address":"10.0.0.6"}]}}
                """), Node.class);
        assertEquals(List.of("10.244.1.0/24", "fd00::/64"), strings(result.at("/spec/podCIDRs")));
        assertEquals(List.of("10.0.0.6", "n1"), values(result.at("/status/addresses"), "address"));
    }

    @Test
    void ownerReferencesMergeByUid() throws PatchException {
        JsonNode pod = json("{\"metadata\":{\"ownerReferences\":[{\"uid\":\"u1\",\"kind\":\"ReplicaSet\",\"name\":\"rs\"}]}}");
        JsonNode result = apply(Patches.STRATEGIC_MERGE_PATCH, pod, json("""
                {"metadata":{"ownerReferences":[{"uid":"u1","controller":true},{"uid":"u2","kind":"Job","name":"j"}]}}
                """), Pod.class);
        assertEquals(List.of("u1", "u2"), values(result.at("/metadata/ownerReferences"), "uid"));
        assertEquals("rs", result.at("/metadata/ownerReferences/0/name").asText());
        assertTrue(result.at("/metadata/ownerReferences/0/controller").asBoolean());
    }

    @Test
    void cronJobTemplatesAreWalkedDownToTheirContainers() throws PatchException {
        JsonNode cronJob = json("""
                {"kind":"CronJob","spec":{"schedule":"*/5 * * * *","jobTemplate":{"spec":{"template":{"spec":{
                    "containers":[{"name":"job","image":"busybox","env":[{"name":"X","value":"1"}]},
                                  {"name":"helper","image":"alpine"}]}}}}}}
                """);
        JsonNode result = apply(Patches.STRATEGIC_MERGE_PATCH, cronJob, json("""
                {"spec":{"jobTemplate":{"spec":{"template":{"spec":{
                    "containers":[{"name":"job","env":[{"name":"Y","value":"2"}]}]}}}}}}
                """), CronJob.class);
        JsonNode containers = result.at("/spec/jobTemplate/spec/template/spec/containers");
        assertEquals(List.of("job", "helper"), values(containers, "name"));
        assertEquals(List.of("X", "Y"), values(containers.at("/0/env"), "name"));
        assertEquals("busybox", containers.at("/0/image").asText());
    }

    @Test
    void withoutATypeMapsMergeAndListsAreReplaced() throws PatchException {
        JsonNode result = apply(Patches.STRATEGIC_MERGE_PATCH, DEPLOYMENT, json("""
                {"metadata":{"labels":{"tier":"web"}},
                 "spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}
                """), null);
        assertEquals(json("{\"app\":\"web\",\"tier\":\"web\"}"), result.at("/metadata/labels"));
        assertEquals(json("[{\"name\":\"web\",\"image\":\"nginx:1.28\"}]"), result.at("/spec/template/spec/containers"));
    }

    // --- directives ----------------------------------------------------------------------------

    @Test
    void setElementOrderPutsServerOnlyElementsAfterTheNamedOnes() throws PatchException {
        JsonNode pod = json("""
                {"spec":{"containers":[{"name":"injected-proxy","image":"envoy"},{"name":"b","image":"b"},{"name":"a","image":"a"}]}}
                """);
        JsonNode result = apply(Patches.STRATEGIC_MERGE_PATCH, pod, json("""
                {"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"gone"},{"name":"b"}]}}
                """), Pod.class);
        assertEquals(List.of("a", "b", "injected-proxy"), values(result.at("/spec/containers"), "name"));
        assertNoDirectives(result);
    }

    @Test
    void replaceDirectiveInAListReplacesTheWholeList() throws PatchException {
        JsonNode result = patchDeployment("""
                {"spec":{"template":{"spec":{"containers":[{"name":"only","image":"alpine"},{"$patch":"replace"}]}}}}
                """);
        assertEquals(json("[{\"name\":\"only\",\"image\":\"alpine\"}]"), result.at("/spec/template/spec/containers"));
    }

    @Test
    void replaceDirectiveOnAMapReplacesTheMap() throws PatchException {
        JsonNode result = patchDeployment("""
                {"spec":{"template":{"metadata":{"$patch":"replace","labels":{"app":"web2"}}}}}
                """);
        assertEquals(json("{\"labels\":{\"app\":\"web2\"}}"), result.at("/spec/template/metadata"));
    }

    @Test
    void deleteDirectiveOnAMapRemovesIt() throws PatchException {
        JsonNode result = patchDeployment("{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"$patch\":\"delete\"}}}}");
        assertEquals(json("{\"type\":\"RollingUpdate\"}"), result.at("/spec/strategy"));
    }

    @Test
    void newListsAndMapsLoseTheirDirectives() throws PatchException {
        JsonNode result = patchDeployment("""
                {"spec":{"template":{"spec":{"containers":[{"name":"sidecar",
                     "$setElementOrder/env":[{"name":"X"}],"env":[{"name":"X","value":"1"}],
                     "resources":{"$patch":"replace","limits":{"memory":"64Mi"}}}]}}}}
                """);
        JsonNode sidecar = container(result, "sidecar");
        assertEquals(json("[{\"name\":\"X\",\"value\":\"1\"}]"), sidecar.get("env"));
        assertEquals(json("{\"limits\":{\"memory\":\"64Mi\"}}"), sidecar.get("resources"));
        assertNoDirectives(result);
    }

    // --- errors ----------------------------------------------------------------------------------

    @Test
    void aPatchThatIsNotAnObjectIsABadRequest() {
        for (String patch : List.of("[]", "\"x\"", "null")) {
            failure(PatchException.Kind.BAD_REQUEST, Patches.STRATEGIC_MERGE_PATCH, DEPLOYMENT, json(patch),
                    Deployment.class);
        }
    }

    @Test
    void malformedDirectivesAreUnprocessable() {
        for (String patch : List.of(
                "{\"$patch\":\"delete\"}",
                "{\"spec\":{\"strategy\":{\"$patch\":\"remove\"}}}",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"no-name\"}]}}}}",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[\"web\"]}}}}",
                "{\"metadata\":{\"finalizers\":[{\"name\":\"x\"}]}}",
                "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":\"a\"}}",
                "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":{\"name\":\"web\"}}}}}",
                "{\"spec\":{\"strategy\":{\"$retainKeys\":\"type\"}}}")) {
            failure(PatchException.Kind.UNPROCESSABLE, Patches.STRATEGIC_MERGE_PATCH, DEPLOYMENT, json(patch),
                    Deployment.class);
        }
    }

    @Test
    void aMissingMergeKeyIsNamedInTheMessage() {
        PatchException e = failure(PatchException.Kind.UNPROCESSABLE, Patches.STRATEGIC_MERGE_PATCH, DEPLOYMENT,
                json("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"x\"}]}}}}"), Deployment.class);
        assertTrue(e.getMessage().contains("spec.template.spec.containers[0]") && e.getMessage().contains("\"name\""),
                e.getMessage());
    }
}
