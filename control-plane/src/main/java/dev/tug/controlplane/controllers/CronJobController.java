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

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Starts a CronJob's Jobs on its schedule: only the most recent missed time runs (within
 * {@code startingDeadlineSeconds}), {@code concurrencyPolicy} decides about a run still going
 * (Allow; Forbid: skip it; Replace: stop it), finished Jobs beyond the history limits are
 * deleted, and the controller wakes exactly at the next scheduled time.
 */
final class CronJobController extends Controller {

    static final String SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter RFC1123Z = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    /** Oldest first by status.startTime, Jobs that never started last, then by name: the order Kubernetes deletes history in. */
    private static final Comparator<JsonNode> BY_START_TIME = Comparator
            .comparing((JsonNode j) -> Json.text(j, "status", "startTime"), Comparator.nullsLast(Comparator.comparing(Instant::parse)))
            .thenComparing(ObjectMetadata::name);

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
        List<ObjectNode> owned = service.list(jobs, namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING)
                .items().stream().filter(j -> Owners.controlledBy(j, cronJob)).toList();
        ObjectNode status = cronJob.path("status").isObject() ? ((ObjectNode) cronJob.get("status")).deepCopy() : Json.object();
        List<ObjectNode> active = activeJobs(cronJob, owned, status);
        trimHistory(cronJob, owned);

        JsonNode spec = cronJob.path("spec");
        CronSchedule schedule = spec.path("suspend").asBoolean(false) ? null : schedule(cronJob);
        if (schedule != null) {
            String last = status.path("lastScheduleTime").asText(Json.text(cronJob, "metadata", "creationTimestamp"));
            JsonNode deadline = spec.path("startingDeadlineSeconds");
            CronSchedule.Due due = schedule.due(Instant.parse(last), deadline.isNumber() ? deadline.asLong() : null, now);
            if (due.missed() > CronSchedule.TOO_MANY_MISSED) {
                events.warning(cronJob, "TooManyMissedTimes", "too many missed start times: " + due.missed()
                        + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
            }
            if (due.time() != null && due.tooLate()) {
                events.warning(cronJob, "MissSchedule", "Missed scheduled time to start a job: "
                        + RFC1123Z.format(due.time().atZone(ZoneOffset.UTC)));
            } else if (due.time() != null && start(cronJob, due.time(), active)) {
                status.put("lastScheduleTime", due.time().toString());
            }
            Instant next = schedule.next(now);
            if (next != null) {
                enqueueAfter(namespace, name, Duration.between(now, next).plusMillis(100));
            }
        }
        writeStatus(cronJob, status, active);
    }

    /**
     * The owned Jobs still running. Says so when a Job it knew as active finished or vanished,
     * and keeps {@code lastSuccessfulTime} at the latest completion.
     */
    private List<ObjectNode> activeJobs(ObjectNode cronJob, List<ObjectNode> owned, ObjectNode status) {
        Set<String> knownActive = new HashSet<>();
        status.path("active").forEach(ref -> knownActive.add(ref.path("uid").asText()));
        List<ObjectNode> active = new ArrayList<>();
        Set<String> existing = new HashSet<>();
        for (ObjectNode job : owned) {
            existing.add(ObjectMetadata.uid(job));
            String finishedAs = JobConditions.finishedAs(job);
            if (finishedAs == null) {
                if (!ObjectMetadata.deleting(job)) {
                    active.add(job);
                }
                continue;
            }
            if (knownActive.contains(ObjectMetadata.uid(job))) {
                events.normal(cronJob, "SawCompletedJob", "Saw completed job: " + ObjectMetadata.name(job) + ", condition: " + finishedAs);
            }
            String completed = Json.text(job, "status", "completionTime");
            String lastSuccess = Json.text(status, "lastSuccessfulTime");
            if (completed != null && (lastSuccess == null || Instant.parse(completed).isAfter(Instant.parse(lastSuccess)))) {
                status.put("lastSuccessfulTime", completed);
            }
        }
        for (JsonNode ref : status.path("active")) {
            if (!existing.contains(ref.path("uid").asText())) {
                events.normal(cronJob, "MissingJob", "Active job went missing: " + ref.path("name").asText());
            }
        }
        return active;
    }

    /** The schedule in the CronJob's time zone, or null (with a warning) when it cannot be read. */
    private CronSchedule schedule(ObjectNode cronJob) {
        JsonNode spec = cronJob.path("spec");
        String text = spec.path("schedule").asText();
        ZoneId zone = ZoneOffset.UTC;
        if (spec.hasNonNull("timeZone")) {
            try {
                zone = ZoneId.of(spec.path("timeZone").asText());
            } catch (DateTimeException e) {
                events.warning(cronJob, "UnknownTimeZone", "invalid timeZone: \"" + spec.path("timeZone").asText() + "\": " + e.getMessage());
                return null;
            }
        }
        try {
            Cron cron = Cron.parse(text);
            if (text.strip().startsWith("TZ=") || text.strip().startsWith("CRON_TZ=")) {
                events.warning(cronJob, "UnsupportedSchedule", "CRON_TZ or TZ used in schedule \"" + text + "\" is not officially"
                        + " supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details");
            }
            return new CronSchedule(cron, zone);
        } catch (IllegalArgumentException e) {
            events.warning(cronJob, "UnparseableSchedule", "unparseable schedule: \"" + text + "\" : " + e.getMessage());
            return null;
        }
    }

    /** Starts the Job for {@code due} as the concurrency policy allows; false when it was skipped. */
    private boolean start(ObjectNode cronJob, Instant due, List<ObjectNode> active) {
        String jobName = ObjectMetadata.name(cronJob) + "-" + due.getEpochSecond() / 60;
        if (active.stream().anyMatch(j -> ObjectMetadata.name(j).equals(jobName))) {
            return true; // started already; only the status write was missing
        }
        String policy = cronJob.path("spec").path("concurrencyPolicy").asText("Allow");
        if (policy.equals("Forbid") && !active.isEmpty()) {
            events.normal(cronJob, "JobAlreadyActive", "Not starting job because prior execution is running and"
                    + " concurrency policy is Forbid");
            return false;
        }
        if (policy.equals("Replace")) {
            for (ObjectNode job : List.copyOf(active)) {
                deleteJob(cronJob, job);
                active.remove(job);
            }
        }
        try {
            ObjectNode created = service.create(jobs, ObjectMetadata.namespace(cronJob), jobFor(cronJob, jobName, due),
                    RequestOptions.internal());
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

    /** The Job of one scheduled time: the template's metadata and spec, owned by the CronJob. */
    private static ObjectNode jobFor(ObjectNode cronJob, String jobName, Instant due) {
        JsonNode template = cronJob.path("spec").path("jobTemplate");
        ObjectNode job = Json.object();
        ObjectNode meta = job.putObject("metadata");
        meta.put("name", jobName);
        for (String field : List.of("labels", "annotations")) {
            if (template.path("metadata").path(field).isObject()) {
                meta.set(field, template.path("metadata").get(field).deepCopy());
            }
        }
        String zone = cronJob.path("spec").path("timeZone").asText("UTC");
        meta.with("annotations").put(SCHEDULED_ANNOTATION, RFC3339.format(due.atZone(ZoneId.of(zone))));
        Owners.adopt(job, cronJob);
        job.set("spec", template.path("spec").deepCopy());
        return job;
    }

    /** Deletes finished Jobs beyond successfulJobsHistoryLimit (3) and failedJobsHistoryLimit (1), oldest first. */
    private void trimHistory(ObjectNode cronJob, List<ObjectNode> owned) {
        JsonNode spec = cronJob.path("spec");
        for (String outcome : List.of(JobConditions.COMPLETE, JobConditions.FAILED)) {
            int limit = outcome.equals(JobConditions.COMPLETE)
                    ? spec.path("successfulJobsHistoryLimit").asInt(3) : spec.path("failedJobsHistoryLimit").asInt(1);
            List<ObjectNode> finished = new ArrayList<>(owned.stream()
                    .filter(j -> outcome.equals(JobConditions.finishedAs(j)) && !ObjectMetadata.deleting(j)).toList());
            finished.sort(BY_START_TIME);
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

    private void writeStatus(ObjectNode cronJob, ObjectNode status, List<ObjectNode> active) {
        // a reference keeps what it said when the Job was first seen, as in Kubernetes: Job updates don't rewrite it
        Map<String, JsonNode> known = new HashMap<>();
        status.path("active").forEach(ref -> known.put(ref.path("uid").asText(), ref));
        ArrayNode refs = status.putArray("active");
        for (ObjectNode job : active) {
            JsonNode ref = known.get(ObjectMetadata.uid(job));
            if (ref != null) {
                refs.add(ref);
                continue;
            }
            refs.addObject().put("apiVersion", "batch/v1").put("kind", "Job").put("namespace", ObjectMetadata.namespace(job))
                    .put("name", ObjectMetadata.name(job)).put("uid", ObjectMetadata.uid(job))
                    .put("resourceVersion", ObjectMetadata.resourceVersion(job));
        }
        if (refs.isEmpty()) {
            status.remove("active");
        }
        service.update(cronJobs, ObjectMetadata.namespace(cronJob), ObjectMetadata.name(cronJob), ResourceType.STATUS,
                RequestOptions.internal(), current -> {
                    current.set("status", status);
                    return current;
                });
    }
}
