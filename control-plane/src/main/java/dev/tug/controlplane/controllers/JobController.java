package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs as Kubernetes runs them: up to {@code parallelism} pods at once until {@code completions}
 * succeeded; failed pods (restartPolicy Never) are kept and replaced after a back-off, container
 * restarts (OnFailure) count as failures too, and more failures than {@code backoffLimit} — or
 * running past {@code activeDeadlineSeconds} — fail the Job and stop its pods. Finished pods are
 * kept; {@code ttlSecondsAfterFinished} removes the whole Job later.
 */
final class JobController extends Controller {

    /** Kubernetes waits 10 s before replacing a failed pod, doubling per failure, up to 6 minutes. */
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(10);
    private static final Duration MAX_FAILURE_BACKOFF = Duration.ofMinutes(6);

    private final ResourceType jobs = ApiResources.of(Job.class);
    private final ResourceType pods = ApiResources.of(Pod.class);
    private final EventRecorder events;

    JobController(ResourceService service, EventRecorder events) {
        super(service, "job-controller");
        this.events = events;
        watch(jobs, Controller::itself);
        watch(pods, controllerOfKind("Job"));
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode job = service.find(jobs, namespace, name).orElse(null);
        if (job == null || ObjectMetadata.deleting(job)) {
            return;
        }
        Instant now = Instant.now(service.clock());
        if (finished(job)) {
            expire(job, now);
            return;
        }
        List<ObjectNode> owned = ReplicaSetController.claimPods(job, pods, service);
        List<ObjectNode> active = new ArrayList<>(owned.stream().filter(Pods::active).toList());
        int succeeded = (int) owned.stream().filter(p -> Pods.phase(p).equals("Succeeded")).count();
        int failed = (int) owned.stream().filter(p -> Pods.phase(p).equals("Failed")).count();
        int restarts = active.stream().mapToInt(Pods::restarts).sum();
        JsonNode spec = job.path("spec");
        ObjectNode status = job.path("status").isObject() ? ((ObjectNode) job.get("status")).deepCopy() : Json.object();
        String stamp = ObjectMetadata.now(service.clock());

        if (spec.path("suspend").asBoolean(false)) {
            active.forEach(p -> deletePod(job, p));
            setCondition(status, "Suspended", "True", "JobSuspended", "Job suspended", stamp);
            writeStatus(job, status, 0, 0, succeeded, failed);
            return;
        }
        setCondition(status, "Suspended", null, null, null, stamp);
        if (!status.has("startTime")) {
            status.put("startTime", stamp);
        }
        Instant started = Instant.parse(status.path("startTime").asText());
        long deadline = spec.path("activeDeadlineSeconds").asLong(0);
        if (deadline > 0 && !started.plusSeconds(deadline).isAfter(now)) {
            fail(job, status, active, "DeadlineExceeded", "Job was active longer than specified deadline", succeeded, failed, stamp);
            return;
        }
        if (failed + restarts > spec.path("backoffLimit").asInt(6)) {
            fail(job, status, active, "BackoffLimitExceeded", "Job has reached the specified backoff limit", succeeded, failed, stamp);
            return;
        }
        JsonNode completionsNode = spec.path("completions");
        int parallelism = spec.path("parallelism").asInt(1);
        boolean workQueue = completionsNode.isMissingNode() || completionsNode.isNull();
        int completions = workQueue ? 0 : completionsNode.asInt();
        boolean complete = workQueue ? succeeded > 0 && active.isEmpty() : succeeded >= completions;
        if (complete) {
            status.put("completionTime", stamp);
            setCondition(status, "SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", stamp);
            setCondition(status, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", stamp);
            writeStatus(job, status, 0, 0, succeeded, failed);
            events.normal(job, "Completed", "Job completed");
            expire(service.get(jobs, namespace, name), now);
            return;
        }
        int wanted = workQueue ? (succeeded > 0 ? 0 : parallelism) : Math.min(parallelism, completions - succeeded);
        if (active.size() > wanted) {
            active.sort(Pods.DELETION_ORDER);
            while (active.size() > wanted) {
                deletePod(job, active.remove(0));
            }
        } else if (active.size() < wanted) {
            Duration wait = failureBackoff(owned, failed, now);
            if (wait.isZero()) {
                for (int i = active.size(); i < wanted; i++) {
                    active.add(createPod(job));
                }
            } else {
                enqueueAfter(namespace, name, wait);
            }
        }
        if (deadline > 0) {
            enqueueAfter(namespace, name, Duration.between(now, started.plusSeconds(deadline)).plusMillis(100));
        }
        int ready = (int) active.stream().filter(Pods::ready).count();
        writeStatus(job, status, active.size(), ready, succeeded, failed);
    }

    private static boolean finished(JsonNode job) {
        for (JsonNode condition : job.path("status").path("conditions")) {
            String type = condition.path("type").asText();
            if ((type.equals("Complete") || type.equals("Failed")) && condition.path("status").asText().equals("True")) {
                return true;
            }
        }
        return false;
    }

    /** How long to wait before replacing the newest failed pod. */
    private static Duration failureBackoff(List<ObjectNode> owned, int failed, Instant now) {
        if (failed == 0) {
            return Duration.ZERO;
        }
        Instant lastFailure = owned.stream().filter(p -> Pods.phase(p).equals("Failed"))
                .map(JobController::finishedAt).max(Instant::compareTo).orElse(now);
        Duration delay = FAILURE_BACKOFF.multipliedBy(1L << Math.min(failed - 1, 10));
        if (delay.compareTo(MAX_FAILURE_BACKOFF) > 0) {
            delay = MAX_FAILURE_BACKOFF;
        }
        Duration left = Duration.between(now, lastFailure.plus(delay));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Instant finishedAt(JsonNode pod) {
        Instant latest = null;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            String finished = status.path("state").path("terminated").path("finishedAt").asText(null);
            if (finished != null) {
                Instant at = Instant.parse(finished);
                latest = latest == null || at.isAfter(latest) ? at : latest;
            }
        }
        return latest != null ? latest : Instant.parse(Json.text(pod, "metadata", "creationTimestamp"));
    }

    private void fail(ObjectNode job, ObjectNode status, List<ObjectNode> active, String reason, String message,
            int succeeded, int failed, String stamp) {
        active.forEach(p -> deletePod(job, p));
        setCondition(status, "FailureTarget", "True", reason, message, stamp);
        setCondition(status, "Failed", "True", reason, message, stamp);
        writeStatus(job, status, 0, 0, succeeded, failed + active.size());
        events.warning(job, reason, message);
    }

    /** Deletes a finished Job once its time to live after finishing has passed. */
    private void expire(ObjectNode job, Instant now) {
        JsonNode ttl = job.path("spec").path("ttlSecondsAfterFinished");
        if (ttl.isMissingNode() || ttl.isNull()) {
            return;
        }
        Instant finishedAt = null;
        for (JsonNode condition : job.path("status").path("conditions")) {
            if (condition.path("status").asText().equals("True")
                    && (condition.path("type").asText().equals("Complete") || condition.path("type").asText().equals("Failed"))) {
                finishedAt = Instant.parse(condition.path("lastTransitionTime").asText());
            }
        }
        if (finishedAt == null) {
            return;
        }
        Instant due = finishedAt.plusSeconds(ttl.asLong());
        if (due.isAfter(now)) {
            enqueueAfter(ObjectMetadata.namespace(job), ObjectMetadata.name(job), Duration.between(now, due).plusMillis(100));
            return;
        }
        deleteIfPresent(jobs, job);
    }

    private ObjectNode createPod(ObjectNode job) {
        ObjectNode pod = Pods.fromTemplate(job.path("spec").path("template"), job, ObjectMetadata.name(job) + "-");
        ObjectNode made = service.create(pods, ObjectMetadata.namespace(job), pod, RequestOptions.internal());
        events.normal(job, "SuccessfulCreate", "Created pod: " + ObjectMetadata.name(made));
        return made;
    }

    private void deletePod(ObjectNode job, ObjectNode pod) {
        if (deleteIfPresent(pods, pod)) {
            events.normal(job, "SuccessfulDelete", "Deleted pod: " + ObjectMetadata.name(pod));
        }
    }

    /** Sets (or with a null state, removes) a condition, keeping its times when nothing about it changed. */
    static void setCondition(ObjectNode status, String type, String state, String reason, String message, String now) {
        ArrayNode conditions = status.withArray("conditions");
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode existing = conditions.get(i);
            if (type.equals(existing.path("type").asText())) {
                if (state == null) {
                    conditions.remove(i);
                } else if (!state.equals(existing.path("status").asText()) || !reason.equals(existing.path("reason").asText())) {
                    conditions.set(i, condition(type, state, reason, message, now));
                }
                return;
            }
        }
        if (state != null) {
            conditions.add(condition(type, state, reason, message, now));
        }
    }

    private static ObjectNode condition(String type, String state, String reason, String message, String now) {
        ObjectNode condition = Json.object();
        condition.put("type", type).put("status", state).put("lastProbeTime", now).put("lastTransitionTime", now)
                .put("reason", reason).put("message", message);
        return condition;
    }

    private void writeStatus(ObjectNode job, ObjectNode status, int active, int ready, int succeeded, int failed) {
        putOrRemove(status, "active", active);
        status.put("ready", ready);
        putOrRemove(status, "succeeded", succeeded);
        putOrRemove(status, "failed", failed);
        if (status.path("conditions").isEmpty()) {
            status.remove("conditions");
        }
        service.update(jobs, ObjectMetadata.namespace(job), ObjectMetadata.name(job), ResourceType.STATUS,
                RequestOptions.internal(), current -> {
                    current.set("status", status);
                    return current;
                });
    }

    /** Kubernetes leaves zero counts out of a Job's status. */
    private static void putOrRemove(ObjectNode status, String field, int value) {
        if (value == 0) {
            status.remove(field);
        } else {
            status.put(field, value);
        }
    }
}
