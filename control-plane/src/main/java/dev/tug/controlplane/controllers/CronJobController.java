package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.admission.Cron;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Starts a CronJob's Jobs on its schedule: only the most recent missed time runs (within
 * {@code startingDeadlineSeconds}), {@code concurrencyPolicy} decides about a run still going
 * (Allow, Forbid: skip, Replace: stop it), finished Jobs beyond the history limits are
 * deleted, and the controller wakes exactly at the next scheduled time.
 */
final class CronJobController extends Controller {

    static final String SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    /** More missed times than this and Kubernetes only reports it, as the schedule is likely broken. */
    private static final int MAX_MISSED = 100;

    private final ResourceType cronJobs = ApiResources.of(CronJob.class);
    private final ResourceType jobs = ApiResources.of(Job.class);
    private final EventRecorder events;

    CronJobController(ResourceService service, EventRecorder events) {
        super(service, "cronjob-controller");
        this.events = events;
        watch(cronJobs, Controller::itself);
        watch(jobs, controllerOfKind("CronJob"));
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode cronJob = service.find(cronJobs, namespace, name).orElse(null);
        if (cronJob == null || ObjectMetadata.deleting(cronJob)) {
            return;
        }
        Instant now = Instant.now(service.clock());
        List<ObjectNode> owned = new ArrayList<>(service.list(jobs, namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING)
                .items().stream().filter(j -> Owners.controlledBy(j, cronJob)).toList());
        List<ObjectNode> active = new ArrayList<>(owned.stream().filter(j -> finishedAs(j) == null).toList());
        ObjectNode status = cronJob.path("status").isObject() ? ((ObjectNode) cronJob.get("status")).deepCopy() : Json.object();
        owned.stream().filter(j -> "Complete".equals(finishedAs(j)))
                .map(j -> Json.text(j, "status", "completionTime")).filter(t -> t != null).max(String::compareTo)
                .ifPresent(t -> status.put("lastSuccessfulTime", t));
        trimHistory(cronJob, owned);

        JsonNode spec = cronJob.path("spec");
        if (!spec.path("suspend").asBoolean(false)) {
            Cron schedule;
            try {
                schedule = Cron.parse(spec.path("schedule").asText());
            } catch (IllegalArgumentException e) {
                events.warning(cronJob, "UnparseableSchedule", "unparseable schedule: " + e.getMessage());
                return;
            }
            ZoneId zone = spec.hasNonNull("timeZone") ? ZoneId.of(spec.path("timeZone").asText()) : ZoneOffset.UTC;
            String last = status.path("lastScheduleTime").asText(Json.text(cronJob, "metadata", "creationTimestamp"));
            Instant due = mostRecentDue(cronJob, schedule, Instant.parse(last).atZone(zone), now);
            if (due != null && start(cronJob, due, active, now)) {
                status.put("lastScheduleTime", due.toString());
            }
            ZonedDateTime next = schedule.next(now.atZone(zone));
            if (next != null) {
                enqueueAfter(namespace, name, Duration.between(now, next.toInstant()).plusMillis(100));
            }
        }
        ArrayNode refs = status.putArray("active");
        for (ObjectNode job : active) {
            if (!ObjectMetadata.deleting(job)) {
                refs.addObject().put("apiVersion", "batch/v1").put("kind", "Job").put("namespace", namespace)
                        .put("name", ObjectMetadata.name(job)).put("uid", ObjectMetadata.uid(job))
                        .put("resourceVersion", ObjectMetadata.resourceVersion(job));
            }
        }
        if (refs.isEmpty()) {
            status.remove("active");
        }
        service.update(cronJobs, namespace, name, ResourceType.STATUS, RequestOptions.internal(), current -> {
            current.set("status", status);
            return current;
        });
    }

    /** The latest scheduled time since the last run that is due now, or null. */
    private Instant mostRecentDue(ObjectNode cronJob, Cron schedule, ZonedDateTime since, Instant now) {
        Instant latest = null;
        int missed = 0;
        for (ZonedDateTime t = schedule.next(since); t != null && !t.toInstant().isAfter(now); t = schedule.next(t)) {
            latest = t.toInstant();
            if (++missed > MAX_MISSED) {
                events.warning(cronJob, "TooManyMissedTimes", "too many missed start times. Set or decrease"
                        + " .spec.startingDeadlineSeconds or check clock skew");
                // jump to the recent past rather than walking every missed minute
                t = schedule.next(now.minus(Duration.ofMinutes(1)).atZone(since.getZone()));
                latest = t != null && !t.toInstant().isAfter(now) ? t.toInstant() : latest;
                break;
            }
        }
        JsonNode deadline = cronJob.path("spec").path("startingDeadlineSeconds");
        if (latest != null && deadline.isNumber() && latest.plusSeconds(deadline.asLong()).isBefore(now)) {
            events.warning(cronJob, "MissSchedule", "Missed scheduled time to start a job: " + latest);
            return null;
        }
        return latest;
    }

    /** Starts the Job for {@code due} as the concurrency policy allows; false when it was skipped. */
    private boolean start(ObjectNode cronJob, Instant due, List<ObjectNode> active, Instant now) {
        String policy = cronJob.path("spec").path("concurrencyPolicy").asText("Allow");
        List<ObjectNode> running = active.stream().filter(j -> !ObjectMetadata.deleting(j)).toList();
        if (policy.equals("Forbid") && !running.isEmpty()) {
            events.normal(cronJob, "JobAlreadyActive", "Not starting job because prior execution is running and"
                    + " concurrency policy is Forbid");
            return false;
        }
        if (policy.equals("Replace")) {
            for (ObjectNode job : running) {
                deleteJob(cronJob, job);
                active.remove(job);
            }
        }
        JsonNode template = cronJob.path("spec").path("jobTemplate");
        ObjectNode job = Json.object();
        ObjectNode meta = job.putObject("metadata");
        meta.put("name", ObjectMetadata.name(cronJob) + "-" + due.getEpochSecond() / 60);
        for (String field : List.of("labels", "annotations")) {
            if (template.path("metadata").has(field)) {
                meta.set(field, template.path("metadata").get(field).deepCopy());
            }
        }
        meta.with("annotations").put(SCHEDULED_ANNOTATION, due.toString());
        Owners.adopt(job, cronJob);
        job.set("spec", template.path("spec").deepCopy());
        try {
            ObjectNode created = service.create(jobs, ObjectMetadata.namespace(cronJob), job, RequestOptions.internal());
            active.add(created);
            events.normal(cronJob, "SuccessfulCreate", "Created job " + ObjectMetadata.name(created));
        } catch (ApiException e) {
            if (e.code() != 409) {
                events.warning(cronJob, "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
        }
        return true;
    }

    /** Deletes finished Jobs beyond successfulJobsHistoryLimit (3) and failedJobsHistoryLimit (1), oldest first. */
    private void trimHistory(ObjectNode cronJob, List<ObjectNode> owned) {
        for (String outcome : List.of("Complete", "Failed")) {
            int limit = cronJob.path("spec").path(outcome.equals("Complete") ? "successfulJobsHistoryLimit" : "failedJobsHistoryLimit")
                    .asInt(outcome.equals("Complete") ? 3 : 1);
            List<ObjectNode> finished = new ArrayList<>(owned.stream()
                    .filter(j -> outcome.equals(finishedAs(j)) && !ObjectMetadata.deleting(j)).toList());
            finished.sort(Comparator.comparing(j -> Json.text(j, "metadata", "creationTimestamp")));
            for (int i = 0; i < finished.size() - limit; i++) {
                deleteJob(cronJob, finished.get(i));
            }
        }
    }

    private void deleteJob(ObjectNode cronJob, ObjectNode job) {
        if (deleteIfPresent(jobs, job)) {
            events.normal(cronJob, "SuccessfulDelete", "Deleted job " + ObjectMetadata.name(job));
        }
    }

    /** "Complete" or "Failed" once the Job finished, else null. */
    private static String finishedAs(JsonNode job) {
        for (JsonNode condition : job.path("status").path("conditions")) {
            String type = condition.path("type").asText();
            if ((type.equals("Complete") || type.equals("Failed")) && condition.path("status").asText().equals("True")) {
                return type;
            }
        }
        return null;
    }
}
