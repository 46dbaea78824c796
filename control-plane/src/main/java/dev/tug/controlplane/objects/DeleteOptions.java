package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;

import java.util.Set;

/**
 * A delete request's options, from the {@code DeleteOptions} body and/or query parameters:
 * propagation policy, grace period, preconditions and dry run.
 */
public record DeleteOptions(String propagationPolicy, Long gracePeriodSeconds, String uidPrecondition,
        String resourceVersionPrecondition, boolean dryRun) {

    private static final Set<String> POLICIES = Set.of("Orphan", "Background", "Foreground");

    public static DeleteOptions background() {
        return new DeleteOptions("Background", null, null, null, false);
    }

    public static DeleteOptions of(String policy) {
        return new DeleteOptions(policy, null, null, null, false);
    }

    /** Query parameters win over the body only where the body is silent, as in Kubernetes. */
    public static DeleteOptions parse(ObjectNode body, String queryPolicy, String queryGrace, String queryOrphan,
            boolean dryRun) {
        JsonNode b = body == null ? Json.object() : body;
        String policy = text(b, "propagationPolicy", queryPolicy);
        String orphan = text(b, "orphanDependents", queryOrphan);
        if (policy == null && orphan != null) {
            policy = Boolean.parseBoolean(orphan) ? "Orphan" : "Background";
        }
        if (policy != null && !POLICIES.contains(policy)) {
            throw ApiException.badRequest("propagationPolicy must be one of Orphan, Background, Foreground, not \""
                    + policy + "\"");
        }
        String grace = text(b, "gracePeriodSeconds", queryGrace);
        Long graceSeconds;
        try {
            graceSeconds = grace == null ? null : Long.parseLong(grace);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("gracePeriodSeconds must be a number, not \"" + grace + "\"");
        }
        boolean bodyDryRun = b.path("dryRun").isArray() && b.path("dryRun").size() > 0;
        return new DeleteOptions(policy, graceSeconds, Json.text(b, "preconditions", "uid"),
                Json.text(b, "preconditions", "resourceVersion"), dryRun || bodyDryRun);
    }

    private static String text(JsonNode body, String field, String fallback) {
        String value = Json.text(body, field);
        return value != null ? value : fallback;
    }

    /** batch/v1 Jobs orphan their pods unless told otherwise; everything else deletes in the background. */
    public String propagationPolicy(ResourceType type) {
        if (propagationPolicy != null) {
            return propagationPolicy;
        }
        return type.kind().equals("Job") ? "Orphan" : "Background";
    }

    public void checkPreconditions(ResourceType type, ObjectNode current) {
        String name = ObjectMetadata.name(current);
        if (uidPrecondition != null && !uidPrecondition.equals(ObjectMetadata.uid(current))) {
            throw ApiException.conflict(type, name, "Precondition failed: UID in precondition: " + uidPrecondition
                    + ", UID in object meta: " + ObjectMetadata.uid(current));
        }
        if (resourceVersionPrecondition != null
                && !resourceVersionPrecondition.equals(ObjectMetadata.resourceVersion(current))) {
            throw ApiException.conflict(type, name, "Precondition failed: ResourceVersion in precondition: "
                    + resourceVersionPrecondition + ", ResourceVersion in object meta: "
                    + ObjectMetadata.resourceVersion(current));
        }
    }
}
