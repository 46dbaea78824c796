package dev.tug.controlplane.patch;

import static dev.tug.controlplane.patch.PatchTesting.apply;
import static dev.tug.controlplane.patch.PatchTesting.failure;
import static dev.tug.controlplane.patch.PatchTesting.json;
import static dev.tug.controlplane.patch.PatchTesting.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchesTest {

    private static final JsonNode POD = json("""
            {"kind":"Pod","metadata":{"name":"p"},
             "spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}
            """);
    private static final JsonNode SET_IMAGE = json("{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"b:2\"}]}}");

    @Test
    void theContentTypeChoosesTheSemantics() throws PatchException {
        JsonNode strategic = apply(Patches.STRATEGIC_MERGE_PATCH, POD, SET_IMAGE, Pod.class);
        assertEquals(List.of("a", "b"), values(strategic.at("/spec/containers"), "name"));
        assertEquals("b:2", strategic.at("/spec/containers/1/image").asText());

        JsonNode merge = apply(Patches.MERGE_PATCH, POD, SET_IMAGE, Pod.class);
        assertEquals(List.of("b"), values(merge.at("/spec/containers"), "name"));

        JsonNode jsonPatch = apply(Patches.JSON_PATCH, POD,
                json("[{\"op\":\"replace\",\"path\":\"/spec/containers/1/image\",\"value\":\"b:3\"}]"), Pod.class);
        assertEquals("b:3", jsonPatch.at("/spec/containers/1/image").asText());
    }

    @Test
    void mediaTypeParametersAndCaseAreIgnored() throws PatchException {
        JsonNode result = apply("Application/Strategic-Merge-Patch+JSON; charset=utf-8", POD, SET_IMAGE, Pod.class);
        assertEquals(2, result.at("/spec/containers").size());
    }

    @Test
    void otherContentTypesAreUnsupportedMediaTypes() {
        for (String contentType : Arrays.asList("application/json", "application/apply-patch+yaml", "text/plain", "", null)) {
            PatchException e = failure(PatchException.Kind.UNSUPPORTED_MEDIA_TYPE, contentType, POD, SET_IMAGE, Pod.class);
            assertEquals(415, e.kind().httpStatus());
            assertEquals("UnsupportedMediaType", e.kind().reason());
            assertTrue(e.getMessage().contains(Patches.STRATEGIC_MERGE_PATCH), e.getMessage());
        }
    }

    @Test
    void statusCodesMatchTheKubernetesApiServer() {
        assertEquals(400, PatchException.Kind.BAD_REQUEST.httpStatus());
        assertEquals("BadRequest", PatchException.Kind.BAD_REQUEST.reason());
        assertEquals(422, PatchException.Kind.UNPROCESSABLE.httpStatus());
        assertEquals("Invalid", PatchException.Kind.UNPROCESSABLE.reason());
    }
}
