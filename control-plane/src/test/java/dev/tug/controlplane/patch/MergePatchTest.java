package dev.tug.controlplane.patch;

import static dev.tug.controlplane.patch.PatchTesting.apply;
import static dev.tug.controlplane.patch.PatchTesting.failure;
import static dev.tug.controlplane.patch.PatchTesting.json;
import static dev.tug.controlplane.patch.PatchTesting.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergePatchTest {

    private static final JsonNode POD = json("""
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"name":"web-1","namespace":"default","resourceVersion":"41",
                         "labels":{"app":"web","tier":"frontend"},
                         "annotations":{"owner":"team-a","note":"old"}},
             "spec":{"containers":[{"name":"web","image":"nginx:1.27"},{"name":"log","image":"busybox"}]}}
            """);

    @Test
    void kubectlLabelSetsOverwritesAndRemovesLabels() throws PatchException {
        // kubectl label pod web-1 env=prod tier=backend --overwrite app-
        JsonNode result = apply(Patches.MERGE_PATCH, POD,
                json("{\"metadata\":{\"labels\":{\"app\":null,\"env\":\"prod\",\"tier\":\"backend\"}}}"), Pod.class);
        assertEquals(json("{\"env\":\"prod\",\"tier\":\"backend\"}"), result.at("/metadata/labels"));
        assertEquals(POD.at("/metadata/annotations"), result.at("/metadata/annotations"));
        assertEquals(POD.get("spec"), result.get("spec"));
    }

    @Test
    void kubectlAnnotateWithResourceVersionRemovesAnAnnotation() throws PatchException {
        // kubectl annotate pod web-1 note- --resource-version=41
        JsonNode result = apply(Patches.MERGE_PATCH, POD,
                json("{\"metadata\":{\"annotations\":{\"note\":null},\"resourceVersion\":\"41\"}}"), Pod.class);
        assertEquals(json("{\"owner\":\"team-a\"}"), result.at("/metadata/annotations"));
        assertEquals("41", result.at("/metadata/resourceVersion").asText());
    }

    @Test
    void kubectlScalePatchesTheScaleSubresource() throws PatchException {
        JsonNode scale = json("""
                {"apiVersion":"autoscaling/v1","kind":"Scale",
                 "metadata":{"name":"web","namespace":"default"},
                 "spec":{"replicas":2},"status":{"replicas":2,"selector":"app=web"}}
                """);
        JsonNode result = apply(Patches.MERGE_PATCH, scale, json("{\"spec\":{\"replicas\":5}}"), Scale.class);
        assertEquals(5, result.at("/spec/replicas").asInt());
        assertEquals(2, result.at("/status/replicas").asInt(), "status is untouched");
    }

    @Test
    void listsAreReplacedWholeEvenWhereStrategicMergeWouldMerge() throws PatchException {
        JsonNode result = apply(Patches.MERGE_PATCH, POD,
                json("{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}"), Pod.class);
        assertEquals(List.of("web"), values(result.at("/spec/containers"), "name"));
        assertEquals("nginx:1.28", result.at("/spec/containers/0/image").asText());
    }

    @Test
    void nullDeletesNestedKeysAndObjectsMergeIntoNonObjects() throws PatchException {
        JsonNode deployment = json("""
                {"spec":{"paused":true,"replicas":3,"strategy":"legacy-string",
                         "template":{"metadata":{"annotations":{"a":"1"}}}}}
                """);
        JsonNode result = apply(Patches.MERGE_PATCH, deployment, json("""
                {"spec":{"paused":null,"missing":null,"strategy":{"type":"Recreate","x":null},
                         "template":{"metadata":{"annotations":null}}}}
                """), Deployment.class);
        assertFalse(result.get("spec").has("paused"));
        assertFalse(result.get("spec").has("missing"));
        assertEquals(json("{\"type\":\"Recreate\"}"), result.at("/spec/strategy"), "nulls never land in the result");
        assertEquals(json("{}"), result.at("/spec/template/metadata"));
        assertEquals(3, result.at("/spec/replicas").asInt());
    }

    @Test
    void aPatchThatIsNotAnObjectIsABadRequest() {
        for (String patch : List.of("[]", "\"spec\"", "null", "42")) {
            failure(PatchException.Kind.BAD_REQUEST, Patches.MERGE_PATCH, POD, json(patch), Pod.class);
        }
    }
}
