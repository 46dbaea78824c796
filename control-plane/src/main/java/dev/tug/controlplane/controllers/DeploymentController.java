package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Deployments as Kubernetes runs them: one ReplicaSet per pod template (named and labelled by
 * its {@code pod-template-hash}), a rolling update within maxSurge / maxUnavailable (or
 * Recreate), revision annotations that {@code kubectl rollout history|undo} read, pause, the
 * history limit, and the status and conditions {@code kubectl rollout status} waits on.
 */
final class DeploymentController extends Controller {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String DESIRED = "deployment.kubernetes.io/desired-replicas";
    static final String MAX = "deployment.kubernetes.io/max-replicas";
    private static final Set<String> NOT_COPIED = Set.of(REVISION, REVISION_HISTORY, DESIRED, MAX,
            "kubectl.kubernetes.io/last-applied-configuration");

    private final ResourceType deployments = ApiResources.of(Deployment.class);
    private final ResourceType replicaSets = ApiResources.of(ReplicaSet.class);
    private final ResourceType pods = ApiResources.of(Pod.class);
    private final EventRecorder events;

    DeploymentController(ResourceService service, EventRecorder events) {
        super(service, "deployment-controller");
        this.events = events;
        watch(deployments, Controller::itself);
        watch(replicaSets, controllerOfKind("Deployment"));
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode deployment = service.find(deployments, namespace, name).orElse(null);
        if (deployment == null || ObjectMetadata.deleting(deployment)) {
            return;
        }
        List<ObjectNode> sets = Claims.claim(service, replicaSets, deployment, rs -> !ObjectMetadata.deleting(rs), rs -> false);
        ObjectNode template = (ObjectNode) deployment.path("spec").path("template");
        ObjectNode newSet = sets.stream()
                .filter(rs -> Json.same(PodTemplateHash.withoutHash(rs.path("spec").path("template")), PodTemplateHash.withoutHash(template)))
                .min(Comparator.comparing(rs -> Json.text(rs, "metadata", "creationTimestamp")))
                .orElse(null);
        List<ObjectNode> oldSets = new ArrayList<>(sets);
        oldSets.remove(newSet);
        int replicas = deployment.path("spec").path("replicas").asInt(1);
        boolean paused = deployment.path("spec").path("paused").asBoolean(false);
        if (paused) {
            scaleWhilePaused(deployment, newSet, oldSets, replicas);
            writeStatus(deployment, newSet, sets, false);
            return;
        }
        boolean created = false;
        if (newSet == null) {
            newSet = createReplicaSet(deployment, oldSets, replicas);
            created = true;
            sets = new ArrayList<>(oldSets);
            sets.add(newSet);
        } else {
            newSet = stampRevision(deployment, newSet, oldSets);
        }
        markRevision(deployment, newSet);
        if ("Recreate".equals(Json.text(deployment, "spec", "strategy", "type"))) {
            recreate(deployment, newSet, oldSets, replicas);
        } else {
            rollingUpdate(deployment, newSet, oldSets, replicas);
        }
        cleanUpHistory(deployment, oldSets);
        writeStatus(deployment, newSet, reread(sets), created);
    }

    // ---- replica sets ----

    private ObjectNode createReplicaSet(ObjectNode deployment, List<ObjectNode> oldSets, int replicas) {
        int collisions = deployment.path("status").path("collisionCount").asInt(0);
        String hash = PodTemplateHash.of(deployment.path("spec").path("template"), collisions);
        ObjectNode template = deployment.path("spec").path("template").deepCopy();
        template.with("metadata").with("labels").put(PodTemplateHash.LABEL, hash);
        ObjectNode rs = Json.object();
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", ObjectMetadata.name(deployment) + "-" + hash);
        meta.set("labels", template.path("metadata").path("labels").deepCopy());
        ObjectNode annotations = meta.putObject("annotations");
        ObjectMetadata.stringMap(deployment.path("metadata").path("annotations")).forEach((k, v) -> {
            if (!NOT_COPIED.contains(k)) {
                annotations.put(k, v);
            }
        });
        annotations.put(REVISION, Long.toString(maxRevision(oldSets) + 1));
        annotations.put(DESIRED, Integer.toString(replicas));
        annotations.put(MAX, Integer.toString(replicas + maxSurge(deployment, replicas)));
        Owners.adopt(rs, deployment);
        ObjectNode spec = rs.putObject("spec");
        // a rolling update starts the new set empty and grows it within maxSurge; Recreate and a
        // first rollout (nothing old running) start it at full size
        boolean nothingRunning = oldSets.stream().allMatch(old -> old.path("spec").path("replicas").asInt() == 0);
        boolean rolling = !"Recreate".equals(Json.text(deployment, "spec", "strategy", "type"));
        spec.put("replicas", nothingRunning ? replicas : rolling ? Math.min(replicas, Math.max(0,
                replicas + maxSurge(deployment, replicas) - podsAtMost(oldSets))) : 0);
        spec.put("minReadySeconds", deployment.path("spec").path("minReadySeconds").asInt(0));
        ObjectNode selector = deployment.path("spec").path("selector").deepCopy();
        selector.with("matchLabels").put(PodTemplateHash.LABEL, hash);
        spec.set("selector", selector);
        spec.set("template", template);
        try {
            ObjectNode created = service.create(replicaSets, ObjectMetadata.namespace(deployment), rs, RequestOptions.internal());
            events.normal(deployment, "ScalingReplicaSet", "Scaled up replica set " + ObjectMetadata.name(created)
                    + " from 0 to " + spec.path("replicas").asInt());
            return created;
        } catch (ApiException e) {
            if (e.code() == 409) {
                // a set of that name with another template: count the collision, the next hash differs
                service.update(deployments, ObjectMetadata.namespace(deployment), ObjectMetadata.name(deployment),
                        ResourceType.STATUS, RequestOptions.internal(), d -> {
                            d.with("status").put("collisionCount", collisions + 1);
                            return d;
                        });
            }
            throw e;
        }
    }

    /** A set brought back by a rollback gets the next revision; its old numbers go to the history annotation. */
    private ObjectNode stampRevision(ObjectNode deployment, ObjectNode newSet, List<ObjectNode> oldSets) {
        long next = maxRevision(oldSets) + 1;
        long current = revision(newSet);
        if (current >= next) {
            return newSet;
        }
        return service.update(replicaSets, ObjectMetadata.namespace(newSet), ObjectMetadata.name(newSet), null,
                RequestOptions.internal(), rs -> {
                    ObjectNode annotations = Json.metadata(rs).with("annotations");
                    if (current > 0) {
                        String history = annotations.path(REVISION_HISTORY).asText("");
                        annotations.put(REVISION_HISTORY, history.isEmpty() ? Long.toString(current) : history + "," + current);
                    }
                    annotations.put(REVISION, Long.toString(next));
                    String cause = Json.text(deployment, "metadata", "annotations", "kubernetes.io/change-cause");
                    if (cause != null) {
                        annotations.put("kubernetes.io/change-cause", cause);
                    }
                    return rs;
                });
    }

    private void markRevision(ObjectNode deployment, ObjectNode newSet) {
        String revision = Long.toString(revision(newSet));
        if (revision.equals(Json.text(deployment, "metadata", "annotations", REVISION))) {
            return;
        }
        service.update(deployments, ObjectMetadata.namespace(deployment), ObjectMetadata.name(deployment), null,
                RequestOptions.internal(), d -> {
                    Json.metadata(d).with("annotations").put(REVISION, revision);
                    return d;
                });
    }

    private ObjectNode scale(ObjectNode deployment, ObjectNode rs, int replicas) {
        int from = rs.path("spec").path("replicas").asInt();
        if (from == replicas) {
            return rs;
        }
        int max = deployment.path("spec").path("replicas").asInt(1) + maxSurge(deployment, deployment.path("spec").path("replicas").asInt(1));
        ObjectNode scaled = service.update(replicaSets, ObjectMetadata.namespace(rs), ObjectMetadata.name(rs), null,
                RequestOptions.internal(), r -> {
                    r.with("spec").put("replicas", replicas);
                    ObjectNode annotations = Json.metadata(r).with("annotations");
                    annotations.put(DESIRED, deployment.path("spec").path("replicas").asText("1"));
                    annotations.put(MAX, Integer.toString(max));
                    return r;
                });
        events.normal(deployment, "ScalingReplicaSet", "Scaled " + (replicas > from ? "up" : "down") + " replica set "
                + ObjectMetadata.name(rs) + " from " + from + " to " + replicas);
        return scaled;
    }

    // ---- strategies ----

    private void rollingUpdate(ObjectNode deployment, ObjectNode newSet, List<ObjectNode> oldSets, int replicas) {
        int surge = maxSurge(deployment, replicas);
        int unavailable = maxUnavailable(deployment, replicas);
        int newReplicas = newSet.path("spec").path("replicas").asInt();
        if (newReplicas > replicas) {
            newSet = scale(deployment, newSet, replicas);
        } else if (newReplicas < replicas) {
            int room = replicas + surge - (podsAtMost(oldSets) + podsAtMost(List.of(newSet)));
            if (room > 0) {
                newSet = scale(deployment, newSet, newReplicas + Math.min(room, replicas - newReplicas));
            }
        }
        int minAvailable = replicas - unavailable;
        int newUnavailable = newSet.path("spec").path("replicas").asInt() - available(newSet);
        int allPods = total(oldSets) + newSet.path("spec").path("replicas").asInt();
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return;
        }
        oldSets.sort(Comparator.comparing(rs -> Json.text(rs, "metadata", "creationTimestamp")));
        // unhealthy old replicas go first: removing them costs no availability
        int scaledDown = 0;
        for (int i = 0; i < oldSets.size() && scaledDown < maxScaledDown; i++) {
            ObjectNode old = oldSets.get(i);
            int spec = old.path("spec").path("replicas").asInt();
            int unhealthy = spec - available(old);
            if (spec == 0 || unhealthy <= 0) {
                continue;
            }
            int down = Math.min(unhealthy, maxScaledDown - scaledDown);
            oldSets.set(i, scale(deployment, old, spec - down));
            scaledDown += down;
        }
        int availableNow = available(newSet) + oldSets.stream().mapToInt(this::available).sum();
        int budget = availableNow - minAvailable;
        for (int i = 0; i < oldSets.size() && budget > 0; i++) {
            ObjectNode old = oldSets.get(i);
            int spec = old.path("spec").path("replicas").asInt();
            if (spec == 0) {
                continue;
            }
            int down = Math.min(spec, budget);
            oldSets.set(i, scale(deployment, old, spec - down));
            budget -= down;
        }
    }

    private void recreate(ObjectNode deployment, ObjectNode newSet, List<ObjectNode> oldSets, int replicas) {
        boolean oldScaled = false;
        for (ObjectNode old : oldSets) {
            if (old.path("spec").path("replicas").asInt() > 0) {
                scale(deployment, old, 0);
                oldScaled = true;
            }
        }
        if (oldScaled || oldPodsRunning(deployment, newSet)) {
            return;
        }
        scale(deployment, newSet, replicas);
    }

    /** Recreate waits until no pod of an old template is left, not only until the sets are scaled down. */
    private boolean oldPodsRunning(ObjectNode deployment, ObjectNode newSet) {
        String hash = ObjectMetadata.labels(newSet).get(PodTemplateHash.LABEL);
        LabelSelector selector = Claims.selector(deployment);
        return service.list(pods, ObjectMetadata.namespace(deployment), LabelSelector.EVERYTHING, FieldSelector.EVERYTHING)
                .items().stream()
                .filter(p -> selector.matches(ObjectMetadata.labels(p)))
                .anyMatch(p -> !hash.equals(ObjectMetadata.labels(p).get(PodTemplateHash.LABEL)) && !Pods.terminal(p));
    }

    private void scaleWhilePaused(ObjectNode deployment, ObjectNode newSet, List<ObjectNode> oldSets, int replicas) {
        List<ObjectNode> active = new ArrayList<>(oldSets);
        if (newSet != null) {
            active.add(newSet);
        }
        active.removeIf(rs -> rs.path("spec").path("replicas").asInt() == 0);
        if (active.size() == 1) {
            scale(deployment, active.get(0), replicas);
        }
    }

    private void cleanUpHistory(ObjectNode deployment, List<ObjectNode> oldSets) {
        int limit = deployment.path("spec").path("revisionHistoryLimit").asInt(10);
        List<ObjectNode> idle = new ArrayList<>(oldSets.stream()
                .filter(rs -> rs.path("spec").path("replicas").asInt() == 0 && rs.path("status").path("replicas").asInt() == 0)
                .filter(rs -> !ObjectMetadata.deleting(rs))
                .toList());
        idle.sort(Comparator.comparingLong(DeploymentController::revision));
        for (int i = 0; i < idle.size() - limit; i++) {
            deleteIfPresent(replicaSets, idle.get(i));
        }
    }

    // ---- status ----

    private List<ObjectNode> reread(List<ObjectNode> sets) {
        List<ObjectNode> fresh = new ArrayList<>();
        for (ObjectNode rs : sets) {
            service.find(replicaSets, ObjectMetadata.namespace(rs), ObjectMetadata.name(rs)).ifPresent(fresh::add);
        }
        return fresh;
    }

    private void writeStatus(ObjectNode deployment, ObjectNode newSet, List<ObjectNode> sets, boolean created) {
        int replicas = deployment.path("spec").path("replicas").asInt(1);
        ObjectNode freshNew = newSet == null ? null : sets.stream()
                .filter(rs -> ObjectMetadata.name(rs).equals(ObjectMetadata.name(newSet))).findFirst().orElse(newSet);
        int total = sets.stream().mapToInt(rs -> rs.path("status").path("replicas").asInt()).sum();
        int updated = freshNew == null ? 0 : freshNew.path("status").path("replicas").asInt();
        int ready = sets.stream().mapToInt(rs -> rs.path("status").path("readyReplicas").asInt()).sum();
        int available = sets.stream().mapToInt(this::available).sum();
        String now = ObjectMetadata.now(service.clock());
        ObjectNode old = deployment.path("status").isObject() ? (ObjectNode) deployment.get("status") : Json.object();
        ObjectNode status = Json.object();
        status.put("observedGeneration", deployment.path("metadata").path("generation").asLong(1));
        status.put("replicas", total);
        status.put("updatedReplicas", updated);
        status.put("readyReplicas", ready);
        status.put("availableReplicas", available);
        status.put("unavailableReplicas", Math.max(0, replicas - available));
        if (old.has("collisionCount")) {
            status.set("collisionCount", old.get("collisionCount"));
        }
        boolean minimum = available >= replicas - maxUnavailable(deployment, replicas);
        boolean complete = freshNew != null && updated == replicas && total == replicas && available == replicas
                && freshNew.path("status").path("observedGeneration").asLong() >= freshNew.path("metadata").path("generation").asLong(1);
        boolean progressed = !Json.same(counts(old), counts(status));
        var conditions = status.putArray("conditions");
        conditions.add(condition(old, "Available", minimum ? "True" : "False",
                minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minimum ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now, false));
        String rsName = freshNew == null ? "" : ObjectMetadata.name(freshNew);
        String reason;
        String message;
        String state = "True";
        boolean paused = deployment.path("spec").path("paused").asBoolean(false);
        if (paused) {
            state = "Unknown";
            reason = "DeploymentPaused";
            message = "Deployment is paused";
        } else if (complete) {
            reason = "NewReplicaSetAvailable";
            message = "ReplicaSet \"" + rsName + "\" has successfully progressed.";
        } else if (created) {
            reason = "NewReplicaSetCreated";
            message = "Created new replica set \"" + rsName + "\"";
        } else {
            reason = "ReplicaSetUpdated";
            message = "ReplicaSet \"" + rsName + "\" is progressing.";
        }
        JsonNode previous = Conditions.find(old, "Progressing");
        long deadline = deployment.path("spec").path("progressDeadlineSeconds").asLong(600);
        if (!paused && !complete && !progressed && previous != null && !"DeploymentPaused".equals(previous.path("reason").asText())) {
            Instant lastUpdate = Instant.parse(previous.path("lastUpdateTime").asText(now));
            if (lastUpdate.plusSeconds(deadline).isBefore(Instant.now(service.clock()))) {
                state = "False";
                reason = "ProgressDeadlineExceeded";
                message = "ReplicaSet \"" + rsName + "\" has timed out progressing.";
            } else {
                enqueueAfter(ObjectMetadata.namespace(deployment), ObjectMetadata.name(deployment),
                        Duration.between(Instant.now(service.clock()), lastUpdate.plusSeconds(deadline)).plusSeconds(1));
            }
        }
        boolean moved = progressed || previous == null || !reason.equals(previous.path("reason").asText());
        conditions.add(condition(old, "Progressing", state, reason, message, now, moved));
        service.update(deployments, ObjectMetadata.namespace(deployment), ObjectMetadata.name(deployment),
                ResourceType.STATUS, RequestOptions.internal(), current -> {
                    current.set("status", status);
                    return current;
                });
    }

    private static ObjectNode counts(JsonNode status) {
        ObjectNode counts = Json.object();
        for (String field : List.of("replicas", "updatedReplicas", "readyReplicas", "availableReplicas")) {
            counts.put(field, status.path(field).asInt());
        }
        return counts;
    }

    /** A condition keeping its transition time while its status holds, and its update time unless {@code touched}. */
    private static ObjectNode condition(JsonNode oldStatus, String type, String state, String reason, String message,
            String now, boolean touched) {
        JsonNode previous = Conditions.find(oldStatus, type);
        ObjectNode condition = Json.object();
        condition.put("type", type);
        condition.put("status", state);
        boolean same = previous != null && state.equals(previous.path("status").asText())
                && reason.equals(previous.path("reason").asText()) && message.equals(previous.path("message").asText());
        condition.put("lastUpdateTime", same && !touched ? previous.path("lastUpdateTime").asText(now) : now);
        condition.put("lastTransitionTime", previous != null && state.equals(previous.path("status").asText())
                ? previous.path("lastTransitionTime").asText(now) : now);
        condition.put("reason", reason);
        condition.put("message", message);
        return condition;
    }

    // ---- numbers ----

    private int available(JsonNode rs) {
        return rs.path("status").path("availableReplicas").asInt();
    }

    private static int total(List<ObjectNode> sets) {
        return sets.stream().mapToInt(rs -> rs.path("spec").path("replicas").asInt()).sum();
    }

    /**
     * The pods the sets may have right now: a set just scaled down keeps its pods until its
     * controller removed them (which its status then shows), so growing the new set on the specs
     * alone could run more than maxSurge extra pods for a moment.
     */
    private static int podsAtMost(List<ObjectNode> sets) {
        return sets.stream().mapToInt(rs -> Math.max(rs.path("spec").path("replicas").asInt(),
                rs.path("status").path("replicas").asInt())).sum();
    }

    static long revision(JsonNode rs) {
        try {
            return Long.parseLong(rs.path("metadata").path("annotations").path(REVISION).asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long maxRevision(List<ObjectNode> sets) {
        return sets.stream().mapToLong(DeploymentController::revision).max().orElse(0);
    }

    static int maxSurge(JsonNode deployment, int replicas) {
        return intOrPercent(deployment.path("spec").path("strategy").path("rollingUpdate").path("maxSurge"), replicas, true, 25);
    }

    static int maxUnavailable(JsonNode deployment, int replicas) {
        if ("Recreate".equals(Json.text(deployment, "spec", "strategy", "type"))) {
            return replicas;
        }
        int surge = maxSurge(deployment, replicas);
        int unavailable = intOrPercent(deployment.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable"),
                replicas, false, 25);
        // both zero would never progress; Kubernetes then allows one unavailable
        return surge == 0 && unavailable == 0 ? 1 : Math.min(unavailable, replicas);
    }

    /** An int, or a percentage of the replicas: rounded up for surge, down for unavailability. */
    private static int intOrPercent(JsonNode value, int replicas, boolean roundUp, int defaultPercent) {
        String text = value.isMissingNode() || value.isNull() ? defaultPercent + "%" : value.asText();
        if (text.endsWith("%")) {
            double exact = replicas * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0;
            return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
        }
        return Integer.parseInt(text);
    }
}
