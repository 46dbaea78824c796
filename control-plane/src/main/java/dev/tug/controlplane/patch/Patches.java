package dev.tug.controlplane.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.InvalidJsonPatchException;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;

/** The PATCH request bodies the Kubernetes API server accepts, applied to JSON trees. */
public final class Patches {

    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

    /** RFC 6902 wants "remove" of a missing member to fail, which zjsonpatch allows by default. */
    private static final EnumSet<CompatibilityFlags> JSON_PATCH_FLAGS =
            EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

    private Patches() {
    }

    /**
     * Applies a patch body to the current object (both JSON), returning a new tree; never mutates the inputs.
     *
     * @param contentType {@value #JSON_PATCH} (RFC 6902), {@value #MERGE_PATCH} (RFC 7396) or
     *                    {@value #STRATEGIC_MERGE_PATCH}; parameters such as {@code ; charset=utf-8} are ignored
     * @param type        the fabric8 model class of the object (e.g. {@code Deployment.class}), which tells
     *                    strategic merge which lists merge by which key; null means "unknown": maps merge,
     *                    lists are replaced
     * @throws PatchException on a malformed patch, a failed JSON-patch "test", a path that does not exist,
     *                        or an unsupported content type; {@link PatchException#kind()} says which
     */
    public static JsonNode apply(String contentType, JsonNode current, JsonNode patch, Class<?> type)
            throws PatchException {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(patch, "patch");
        return switch (mediaType(contentType)) {
            case JSON_PATCH -> applyJsonPatch(current, patch);
            case MERGE_PATCH -> applyMergePatch(current, patch);
            case STRATEGIC_MERGE_PATCH -> StrategicMergePatch.apply(current, patch, type);
            default -> throw new PatchException(PatchException.Kind.UNSUPPORTED_MEDIA_TYPE,
                    "the body of the request was in an unknown format (" + contentType + "); accepted media types"
                            + " include: " + JSON_PATCH + ", " + MERGE_PATCH + ", " + STRATEGIC_MERGE_PATCH);
        };
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int parameters = contentType.indexOf(';');
        String bare = parameters < 0 ? contentType : contentType.substring(0, parameters);
        return bare.trim().toLowerCase(Locale.ROOT);
    }

    private static JsonNode applyJsonPatch(JsonNode current, JsonNode patch) throws PatchException {
        try {
            JsonPatch.validate(patch, JSON_PATCH_FLAGS);
        } catch (InvalidJsonPatchException e) {
            throw PatchException.badRequest("invalid JSON patch: " + e.getMessage());
        }
        try {
            return JsonPatch.apply(patch, current, JSON_PATCH_FLAGS);
        } catch (JsonPatchApplicationException e) {
            String where = e.getPath() == null ? "" : " at " + e.getPath();
            throw PatchException.unprocessable("the JSON patch could not be applied" + where + ": " + e.getMessage());
        } catch (IllegalStateException | IllegalArgumentException e) {
            // zjsonpatch reports some paths of the wrong shape (a member name on a list) this way:
            // all the same to the client, the patch does not fit the object.
            throw PatchException.unprocessable("the JSON patch could not be applied: " + e.getMessage());
        }
    }

    private static JsonNode applyMergePatch(JsonNode current, JsonNode patch) throws PatchException {
        // RFC 7396 would let a non-object patch replace the whole document; the API server refuses that.
        if (!patch.isObject()) {
            throw PatchException.badRequest("a merge patch must be a JSON object, not " + patch.getNodeType()
                    .name().toLowerCase(Locale.ROOT));
        }
        return JsonMergePatch.apply(current, patch);
    }
}
