package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronJobControllerTest {

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:30Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @TempDir
    Path dir;
    final TestClock clock = new TestClock();
    ControllerHarness harness;
    final ResourceType cronJobs = ApiResources.of(CronJob.class);
    final ResourceType jobs = ApiResources.of(Job.class);

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir, clock);
        harness.start(service -> new CronJobController(service, new EventRecorder(service, "cronjob-controller")));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    /** The CronJob "tick" running every five minutes, with the given extra spec fields. */
    private void create(String specFields) {
        harness.create(CronJob.class, "default", """
                {"metadata":{"name":"tick"},"spec":{"schedule":"*/5 * * * *",%s
                 "jobTemplate":{"metadata":{"labels":{"team":"ops"},"annotations":{"note":"kept"}},
                  "spec":{"template":{"spec":{"restartPolicy":"Never",
                  "containers":[{"name":"c","image":"busybox","command":["date"]}]}}}}}}""".formatted(specFields));
    }

    private void createWithPolicy(String policy) {
        create("\"concurrencyPolicy\":\"%s\",\"successfulJobsHistoryLimit\":1,".formatted(policy));
    }

    /** Moves the clock and makes the controller look (in a cluster, its timer would fire). */
    private void at(String time) {
        clock.now.set(Instant.parse(time));
        harness.service.update(cronJobs, "default", "tick", null, RequestOptions.internal(), cj -> {
            Json.metadata(cj).with("annotations").put("test/now", time);
            return cj;
        });
    }

    private ObjectNode cronJob() {
        return harness.service.get(cronJobs, "default", "tick");
    }

    private List<ObjectNode> jobs() {
        return harness.service.list(jobs, "default", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items().stream()
                .filter(j -> !ObjectMetadata.deleting(j)).toList();
    }

    private ObjectNode jobScheduledAt(String time) {
        return jobs().stream().filter(j -> time.equals(Json.text(j, "metadata", "annotations", CronJobController.SCHEDULED_ANNOTATION)))
                .findFirst().orElse(null);
    }

    /** What the Job controller writes when a Job ends: its final condition (and, for Complete, the time). */
    private void finish(ObjectNode job, String condition) {
        String now = clock.now.get().toString();
        harness.service.update(jobs, "default", ObjectMetadata.name(job), "status", RequestOptions.internal(), j -> {
            ObjectNode status = j.putObject("status");
            status.put("startTime", Json.text(j, "metadata", "creationTimestamp"));
            if (condition.equals("Complete")) {
                status.put("completionTime", now);
            }
            status.putArray("conditions").addObject().put("type", condition).put("status", "True").put("lastTransitionTime", now);
            return j;
        });
    }

    private List<String> eventMessages(String reason) {
        return harness.events("default", reason).stream().map(e -> e.path("message").asText()).toList();
    }

    @Test
    void startsOnScheduleAndForbidSkipsWhileOneRuns() {
        createWithPolicy("Forbid");
        at("2026-11-23T10:04:59Z");
        assertTrue(jobs().isEmpty(), "not due yet");
        at("2026-11-23T10:05:01Z");
        await("the 10:05 job", () -> jobs().size() == 1);
        ObjectNode job = jobs().get(0);
        assertEquals("tick-" + Instant.parse("2026-11-23T10:05:00Z").getEpochSecond() / 60, ObjectMetadata.name(job));
        assertEquals("2026-11-23T10:05:00Z", Json.text(job, "metadata", "annotations", CronJobController.SCHEDULED_ANNOTATION));
        assertEquals("ops", Json.text(job, "metadata", "labels", "team"));
        assertEquals("kept", Json.text(job, "metadata", "annotations", "note"));
        assertTrue(Owners.controlledBy(job, cronJob()), "owned by the CronJob");
        await("status", () -> cronJob().at("/status/active/0/name").asText().equals(ObjectMetadata.name(job))
                && cronJob().at("/status/lastScheduleTime").asText().equals("2026-11-23T10:05:00Z"));
        await("creation reported", () -> eventMessages("SuccessfulCreate").equals(List.of("Created job " + ObjectMetadata.name(job))));

        at("2026-11-23T10:10:01Z");
        await("skipped", () -> eventMessages("JobAlreadyActive").size() == 1);
        assertEquals(1, jobs().size());

        // the skipped 10:10 run is still due: it starts as soon as the running one finished
        finish(job, "Complete");
        await("the late 10:10 job", () -> jobScheduledAt("2026-11-23T10:10:00Z") != null);
        await("seen completed", () -> eventMessages("SawCompletedJob").contains(
                "Saw completed job: " + ObjectMetadata.name(job) + ", condition: Complete"));
        finish(jobScheduledAt("2026-11-23T10:10:00Z"), "Complete");
        await("history limit 1", () -> jobs().size() == 1);
        await("the oldest went", () -> eventMessages("SuccessfulDelete").contains("Deleted job " + ObjectMetadata.name(job)));
        at("2026-11-23T10:25:01Z"); // 10:15 and 10:20 were missed: only the latest runs
        await("the 10:25 job", () -> jobScheduledAt("2026-11-23T10:25:00Z") != null);
        assertEquals(2, jobs().size());
        assertEquals("2026-11-23T10:10:01Z", cronJob().at("/status/lastSuccessfulTime").asText(), "when the latest success finished");
    }

    @Test
    void replaceStopsTheRunningJob() {
        createWithPolicy("Replace");
        at("2026-11-23T10:05:01Z");
        await("first job", () -> jobs().size() == 1);
        String first = ObjectMetadata.name(jobs().get(0));
        at("2026-11-23T10:10:01Z");
        await("replaced", () -> jobs().size() == 1 && !ObjectMetadata.name(jobs().get(0)).equals(first));
        await("only the new one is active", () -> cronJob().path("status").path("active").size() == 1
                && !cronJob().at("/status/active/0/name").asText().equals(first));
        await("deletion reported", () -> eventMessages("SuccessfulDelete").contains("Deleted job " + first));
    }

    @Test
    void allowRunsThemSideBySide() {
        createWithPolicy("Allow");
        at("2026-11-23T10:05:01Z");
        await("first job", () -> jobs().size() == 1);
        at("2026-11-23T10:10:01Z");
        await("second job", () -> jobs().size() == 2);
        await("both active", () -> cronJob().path("status").path("active").size() == 2);
    }

    @Test
    void failedJobsBeyondTheLimitAreDeletedOldestFirst() {
        create("\"failedJobsHistoryLimit\":1,");
        at("2026-11-23T10:05:01Z");
        await("first job", () -> jobs().size() == 1);
        ObjectNode first = jobs().get(0);
        finish(first, "Failed");
        at("2026-11-23T10:10:01Z");
        await("second job", () -> jobScheduledAt("2026-11-23T10:10:00Z") != null);
        finish(jobScheduledAt("2026-11-23T10:10:00Z"), "Failed");
        await("only the newer failure kept", () -> jobs().size() == 1 && jobScheduledAt("2026-11-23T10:10:00Z") != null);
        await("deletion reported", () -> eventMessages("SuccessfulDelete").contains("Deleted job " + ObjectMetadata.name(first)));
        assertTrue(cronJob().at("/status/lastSuccessfulTime").isMissingNode(), "nothing succeeded");
    }

    @Test
    void aSuspendedCronJobStartsNothingUntilResumed() {
        create("\"suspend\":true,");
        at("2026-11-23T10:05:01Z");
        at("2026-11-23T10:06:01Z");
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertTrue(jobs().isEmpty(), "suspended");
        harness.service.update(cronJobs, "default", "tick", null, RequestOptions.internal(), cj -> {
            cj.with("spec").put("suspend", false);
            return cj;
        });
        await("the missed 10:05 run starts on resume", () -> jobScheduledAt("2026-11-23T10:05:00Z") != null);
    }

    @Test
    void theTimeZoneSetsTheScheduleAndTheAnnotation() {
        clock.now.set(Instant.parse("2026-11-23T09:00:00Z"));
        harness.create(CronJob.class, "default", """
                {"metadata":{"name":"tick"},"spec":{"schedule":"0 11 * * *","timeZone":"Europe/Berlin",
                 "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never",
                  "containers":[{"name":"c","image":"busybox"}]}}}}}}""");
        at("2026-11-23T09:59:59Z");
        at("2026-11-23T10:00:01Z"); // 11:00:01 in Berlin
        await("the 11:00 Berlin job", () -> jobScheduledAt("2026-11-23T11:00:00+01:00") != null);
        assertEquals("tick-" + Instant.parse("2026-11-23T10:00:00Z").getEpochSecond() / 60, ObjectMetadata.name(jobs().get(0)));
    }
}
