package dev.tug.controlplane.patch;

import static dev.tug.controlplane.patch.PatchTesting.apply;
import static dev.tug.controlplane.patch.PatchTesting.failure;
import static dev.tug.controlplane.patch.PatchTesting.json;
import static dev.tug.controlplane.patch.PatchTesting.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPatchTest {

    private static final JsonNode DEPLOYMENT = json("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"default","labels":{"app":"web"},"finalizers":["a","b"]},
             "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}
            """);

    private static JsonNode jsonPatch(String patch) throws PatchException {
        return apply(Patches.JSON_PATCH, DEPLOYMENT, json(patch), Deployment.class);
    }

    @Test
    void addReplaceAndRemoveApplyInOrder() throws PatchException {
        JsonNode result = jsonPatch("""
                [{"op":"add","path":"/metadata/labels/tier","value":"frontend"},
                 {"op":"replace","path":"/spec/replicas","value":5},
                 {"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.28"},
                 {"op":"remove","path":"/metadata/labels/app"},
                 {"op":"add","path":"/metadata/finalizers/-","value":"c"},
                 {"op":"add","path":"/metadata/annotations","value":{"owner":"team-a"}}]
                """);
        assertEquals("frontend", result.at("/metadata/labels/tier").asText());
        assertFalse(result.at("/metadata/labels").has("app"));
        assertEquals(5, result.at("/spec/replicas").asInt());
        assertEquals("nginx:1.28", result.at("/spec/template/spec/containers/0/image").asText());
        assertEquals(List.of("a", "b", "c"), strings(result.at("/metadata/finalizers")));
        assertEquals("team-a", result.at("/metadata/annotations/owner").asText());
    }

    @Test
    void passingTestGuardsTheRest() throws PatchException {
        JsonNode result = jsonPatch("""
                [{"op":"test","path":"/spec/replicas","value":2},{"op":"replace","path":"/spec/replicas","value":3}]
                """);
        assertEquals(3, result.at("/spec/replicas").asInt());
    }

    @Test
    void failingTestIsUnprocessableAndChangesNothing() {
        PatchException e = failure(PatchException.Kind.UNPROCESSABLE, Patches.JSON_PATCH, DEPLOYMENT, json("""
                [{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/replicas","value":7}]
                """), Deployment.class);
        assertEquals(422, e.kind().httpStatus());
    }

    @Test
    void pathsThatDoNotExistAreUnprocessable() {
        for (String patch : List.of(
                "[{\"op\":\"replace\",\"path\":\"/spec/paused\",\"value\":true}]",
                "[{\"op\":\"remove\",\"path\":\"/metadata/annotations\"}]",
                "[{\"op\":\"remove\",\"path\":\"/metadata/labels/missing\"}]",
                "[{\"op\":\"add\",\"path\":\"/spec/nothing/here\",\"value\":1}]",
                "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers/5\"}]",
                "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers/x\"}]",
                "[{\"op\":\"add\",\"path\":\"/spec/replicas/0\",\"value\":1}]",
                "[{\"op\":\"move\",\"from\":\"/spec/nothing\",\"path\":\"/spec/other\"}]",
                "[{\"op\":\"copy\",\"from\":\"/spec/nothing\",\"path\":\"/spec/other\"}]",
                "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-1\",\"value\":\"z\"}]")) {
            failure(PatchException.Kind.UNPROCESSABLE, Patches.JSON_PATCH, DEPLOYMENT, json(patch), Deployment.class);
        }
    }

    @Test
    void malformedPatchesAreBadRequests() {
        for (String patch : List.of(
                "{\"op\":\"add\",\"path\":\"/a\",\"value\":1}",
                "[{\"op\":\"frobnicate\",\"path\":\"/spec\"}]",
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/x\"}]",
                "[{\"op\":\"replace\",\"value\":1}]",
                "[42]")) {
            PatchException e = failure(PatchException.Kind.BAD_REQUEST, Patches.JSON_PATCH, DEPLOYMENT, json(patch),
                    Deployment.class);
            assertTrue(e.getMessage().startsWith("invalid JSON patch"), e.getMessage());
        }
    }
}
