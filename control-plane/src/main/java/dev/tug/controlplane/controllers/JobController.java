package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

import static dev.tug.controlplane.controllers.JobConditions.COMPLETE;
import static dev.tug.controlplane.controllers.JobConditions.FAILED;
import static dev.tug.controlplane.controllers.JobConditions.FAILURE_TARGET;
import static dev.tug.controlplane.controllers.JobConditions.SUCCESS_CRITERIA_MET;
import static dev.tug.controlplane.controllers.JobConditions.SUSPENDED;

/**
 * Jobs as Kubernetes runs them: up to {@code parallelism} pods at once until {@code completions}
 * succeeded (without completions, until one succeeded and the rest ended: a work queue; with
 * {@code completionMode: Indexed}, one success per index). Failed pods (restartPolicy Never) are
 * kept and replaced after a back-off; container restarts (OnFailure) count as failures too. More
 * failures than {@code backoffLimit}, a FailJob rule of the pod failure policy, or running past
 * {@code activeDeadlineSeconds} fail the Job and stop its pods. Suspending stops the pods,
 * resuming starts them again; {@code ttlSecondsAfterFinished} removes a finished Job later.
 *
 * <p>Counts come from the pods that exist: Tug has no job-tracking finalizer, so status counters
 * are never lowered, lest a finished pod someone deleted be run again.
 */
final class JobController extends Controller {

    private static final Duration CREATE_RETRY = Duration.ofSeconds(5);

    private final ResourceType jobs = ApiResources.of(Job.class);
    private final ResourceType pods = ApiResources.of(Pod.class);
    private final EventRecorder events;

    /** Why a Job fails: the reason and message of its FailureTarget and Failed conditions. */
    private record Failure(String reason, String message) {
    }

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
        if (JobConditions.finishedAs(job) != null) {
            expire(job, now);
            return;
        }
        String stamp = ObjectMetadata.now(service.clock());
        JobPods owned = new JobPods(Claims.pods(service, job), job);
        ObjectNode status = job.path("status").isObject() ? ((ObjectNode) job.get("status")).deepCopy() : Json.object();
        boolean suspended = job.path("spec").path("suspend").asBoolean(false);
        boolean resumed = !suspended && JobConditions.set(status, SUSPENDED, "False", "JobResumed", "Job resumed", stamp);
        if (resumed || (!suspended && !status.has("startTime"))) {
            // the deadline counts the time a Job is continuously active: a resumed Job starts over
            status.put("startTime", stamp);
        }
        int succeeded = countSucceeded(job, status, owned);
        int failed = Math.max(status.path("failed").asInt(), owned.failed.size());

        String target = Conditions.isTrue(status, FAILURE_TARGET) ? FAILURE_TARGET
                : Conditions.isTrue(status, SUCCESS_CRITERIA_MET) ? SUCCESS_CRITERIA_MET : null;
        if (target == null) {
            Failure failure = failure(job, status, owned, failed, now);
            if (failure != null) {
                JobConditions.set(status, FAILURE_TARGET, "True", failure.reason(), failure.message(), stamp);
                target = FAILURE_TARGET;
                failed += owned.active.size(); // a failing Job's unfinished pods count as failed, as in Kubernetes
            }
        }
        boolean suspendChanged = false;
        if (target != null) {
            stop(job, owned, List.copyOf(owned.active));
        } else {
            suspendChanged = manage(job, owned, status, succeeded, now, stamp);
            if (complete(job.path("spec"), succeeded, owned.active.size())) {
                JobConditions.set(status, SUCCESS_CRITERIA_MET, "True", "CompletionsReached",
                        "Reached expected number of succeeded pods", stamp);
                target = SUCCESS_CRITERIA_MET;
            }
        }
        // the final condition waits until the pods stopped, as since Kubernetes 1.31
        boolean finished = target != null && owned.terminating.isEmpty();
        if (finished) {
            JsonNode cause = Conditions.find(status, target);
            JobConditions.set(status, target.equals(FAILURE_TARGET) ? FAILED : COMPLETE, "True",
                    cause.path("reason").asText(), cause.path("message").asText(), stamp);
            if (target.equals(SUCCESS_CRITERIA_MET)) {
                status.put("completionTime", stamp);
            }
        }
        ObjectNode written = writeStatus(job, status, owned, succeeded, failed);
        if (resumed) {
            events.normal(job, "Resumed", "Job resumed");
        }
        if (suspendChanged) {
            events.normal(job, "Suspended", "Job suspended");
        }
        if (finished) {
            JsonNode cause = Conditions.find(status, target);
            if (target.equals(SUCCESS_CRITERIA_MET)) {
                events.normal(job, "Completed", "Job completed");
            } else {
                events.warning(job, cause.path("reason").asText(), cause.path("message").asText());
            }
            expire(written, now);
        }
    }

    /** Succeeded pods, or for an Indexed Job succeeded indexes (kept in {@code status.completedIndexes}). */
    private static int countSucceeded(ObjectNode job, ObjectNode status, JobPods owned) {
        if (!CompletionIndexes.indexed(job)) {
            return Math.max(status.path("succeeded").asInt(), owned.succeeded.size());
        }
        int completions = job.path("spec").path("completions").asInt();
        SortedSet<Integer> done = CompletionIndexes.parse(status.path("completedIndexes").asText(null));
        owned.succeeded.forEach(pod -> done.add(CompletionIndexes.of(pod)));
        done.removeIf(index -> index < 0 || index >= completions);
        if (done.isEmpty()) {
            status.remove("completedIndexes");
        } else {
            status.put("completedIndexes", CompletionIndexes.format(done));
        }
        return done.size();
    }

    /** Why the Job fails now, or null; while it runs, wakes up when its deadline passes. */
    private Failure failure(ObjectNode job, ObjectNode status, JobPods owned, int failed, Instant now) {
        JsonNode spec = job.path("spec");
        if (owned.failJobMessage != null) {
            return new Failure("PodFailurePolicy", owned.failJobMessage);
        }
        int limit = spec.path("backoffLimit").asInt(6);
        int restarts = owned.restartsInPlace();
        boolean onFailure = spec.path("template").path("spec").path("restartPolicy").asText().equals("OnFailure");
        if (failed > limit || (onFailure && (limit == 0 ? restarts > 0 : restarts >= limit))) {
            return new Failure("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }
        if (spec.path("activeDeadlineSeconds").isNumber() && !spec.path("suspend").asBoolean(false) && status.has("startTime")) {
            Instant deadline = Instant.parse(status.path("startTime").asText()).plusSeconds(spec.path("activeDeadlineSeconds").asLong());
            if (!now.isBefore(deadline)) {
                return new Failure("DeadlineExceeded", "Job was active longer than specified deadline");
            }
            enqueueAfter(ObjectMetadata.namespace(job), ObjectMetadata.name(job), Duration.between(now, deadline).plusMillis(100));
        }
        return null;
    }

    private static boolean workQueue(JsonNode spec) {
        return !spec.path("completions").isNumber();
    }

    /** Kubernetes' rule: enough successes (any one, for a work queue) and nothing running any more. */
    private static boolean complete(JsonNode spec, int succeeded, int active) {
        if (active > 0) {
            return false;
        }
        return workQueue(spec) ? succeeded > 0 : succeeded >= spec.path("completions").asInt();
    }

    /**
     * Starts or stops pods so that as many run as the Job wants now; returns whether it was
     * newly suspended.
     */
    private boolean manage(ObjectNode job, JobPods owned, ObjectNode status, int succeeded, Instant now, String stamp) {
        JsonNode spec = job.path("spec");
        if (spec.path("suspend").asBoolean(false)) {
            stop(job, owned, List.copyOf(owned.active));
            return JobConditions.set(status, SUSPENDED, "True", "JobSuspended", "Job suspended", stamp);
        }
        int parallelism = spec.path("parallelism").asInt(1);
        int wanted = workQueue(spec)
                // once one pod succeeded the queue is drained: no new pods, the running ones finish
                ? (succeeded > 0 ? owned.active.size() : parallelism)
                : Math.max(0, Math.min(parallelism, spec.path("completions").asInt() - succeeded));
        // with podReplacementPolicy Failed, a replacement waits until the pod it replaces has stopped
        int stopping = spec.path("podReplacementPolicy").asText("TerminatingOrFailed").equals("Failed")
                ? owned.terminating.size() : 0;
        if (CompletionIndexes.indexed(job)) {
            manageIndexes(job, owned, status, wanted, stopping > 0, now);
            return false;
        }
        if (owned.active.size() > wanted) {
            owned.active.sort(Pods.DELETION_ORDER);
            stop(job, owned, List.copyOf(owned.active.subList(0, owned.active.size() - wanted)));
        } else if (owned.active.size() + stopping < wanted) {
            create(job, owned, Collections.nCopies(wanted - owned.active.size() - stopping, -1), now);
        }
        return false;
    }

    /** One pod per index still to do: extra pods of an index, and pods of indexes out of range, go. */
    private void manageIndexes(ObjectNode job, JobPods owned, ObjectNode status, int wanted, boolean waitForStopping, Instant now) {
        int completions = job.path("spec").path("completions").asInt();
        Set<Integer> done = CompletionIndexes.parse(status.path("completedIndexes").asText(null));
        Set<Integer> running = new HashSet<>();
        List<ObjectNode> surplus = new ArrayList<>();
        owned.active.sort(Pods.DELETION_ORDER.reversed());
        for (ObjectNode pod : owned.active) {
            int index = CompletionIndexes.of(pod);
            if (index < 0 || index >= completions || done.contains(index) || !running.add(index)) {
                surplus.add(pod);
            }
        }
        List<ObjectNode> keep = new ArrayList<>(owned.active);
        keep.removeAll(surplus);
        if (keep.size() > wanted) {
            keep.sort(Pods.DELETION_ORDER);
            surplus.addAll(keep.subList(0, keep.size() - wanted));
        }
        stop(job, owned, surplus);
        if (waitForStopping) {
            owned.terminating.forEach(pod -> running.add(CompletionIndexes.of(pod)));
        }
        int missing = wanted - owned.active.size();
        if (missing > 0) {
            create(job, owned, CompletionIndexes.pending(done, running, completions, missing), now);
        }
    }

    /** Creates pods (for the given completion indexes, or -1 each when not Indexed), unless failures call for a back-off. */
    private void create(ObjectNode job, JobPods owned, List<Integer> indexes, Instant now) {
        if (indexes.isEmpty()) {
            return;
        }
        Duration backoff = owned.backoff(now);
        if (!backoff.isZero()) {
            enqueueAfter(ObjectMetadata.namespace(job), ObjectMetadata.name(job), backoff.plusMillis(100));
            return;
        }
        SlowStart.Result<ObjectNode> result = SlowStart.each(indexes, index -> createPod(job, index));
        owned.active.addAll(result.created());
        if (result.failure() != null) {
            events.warning(job, "FailedCreate", "Error creating: " + result.failure().getMessage());
            enqueueAfter(ObjectMetadata.namespace(job), ObjectMetadata.name(job), CREATE_RETRY);
        }
    }

    private ObjectNode createPod(ObjectNode job, int index) {
        String jobName = ObjectMetadata.name(job);
        JsonNode template = job.path("spec").path("template");
        ObjectNode pod = Pods.fromTemplate(template, job, index < 0 ? jobName + "-" : CompletionIndexes.generateName(jobName, index));
        if (index >= 0) {
            CompletionIndexes.stamp(pod, jobName, index);
        }
        ObjectNode made = service.create(pods, ObjectMetadata.namespace(job), pod, RequestOptions.internal());
        events.normal(job, "SuccessfulCreate", "Created pod: " + ObjectMetadata.name(made));
        return made;
    }

    /** Deletes pods at once; those a kubelet still has to stop move from active to terminating. */
    private void stop(ObjectNode job, JobPods owned, List<ObjectNode> victims) {
        List<Boolean> stopping = ParallelWrites.each(victims, pod -> deletePod(job, pod));
        for (int i = 0; i < victims.size(); i++) {
            owned.active.remove(victims.get(i));
            if (stopping.get(i)) {
                owned.terminating.add(victims.get(i));
            }
        }
    }

    /** True when the pod is still stopping after the delete (bound pods end gracefully). */
    private boolean deletePod(ObjectNode job, ObjectNode pod) {
        try {
            boolean gone = service.delete(pods, ObjectMetadata.namespace(pod), ObjectMetadata.name(pod), DeleteOptions.background())
                    .finished();
            events.normal(job, "SuccessfulDelete", "Deleted pod: " + ObjectMetadata.name(pod));
            return !gone;
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            return false;
        }
    }

    /** Deletes a finished Job once its time to live after finishing has passed. */
    private void expire(ObjectNode job, Instant now) {
        JsonNode ttl = job.path("spec").path("ttlSecondsAfterFinished");
        String finishedAs = JobConditions.finishedAs(job);
        if (!ttl.isNumber() || finishedAs == null) {
            return;
        }
        Instant finishedAt = Instant.parse(Conditions.find(job.path("status"), finishedAs).path("lastTransitionTime").asText());
        Instant due = finishedAt.plusSeconds(ttl.asLong());
        if (due.isAfter(now)) {
            enqueueAfter(ObjectMetadata.namespace(job), ObjectMetadata.name(job), Duration.between(now, due).plusMillis(100));
            return;
        }
        deleteIfPresent(jobs, job);
    }

    private ObjectNode writeStatus(ObjectNode job, ObjectNode status, JobPods owned, int succeeded, int failed) {
        putOrRemove(status, "active", owned.active.size());
        status.put("ready", owned.ready());
        status.put("terminating", owned.terminating.size());
        putOrRemove(status, "succeeded", succeeded);
        putOrRemove(status, "failed", failed);
        if (status.path("conditions").isEmpty()) {
            status.remove("conditions");
        }
        return service.update(jobs, ObjectMetadata.namespace(job), ObjectMetadata.name(job), ResourceType.STATUS,
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
