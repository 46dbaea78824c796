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

    private void create(String policy) {
        harness.create(CronJob.class, "default", """
                {"metadata":{"name":"tick"},"spec":{"schedule":"*/5 * * * *","concurrencyPolicy":"%s",
                 "successfulJobsHistoryLimit":1,
                 "jobTemplate":{"metadata":{"labels":{"team":"ops"}},"spec":{"template":{"spec":{"restartPolicy":"Never",
                  "containers":[{"name":"c","image":"busybox","command":["date"]}]}}}}}}""".formatted(policy));
    }

    /** Moves the clock and makes the controller look (in a cluster, its timer would fire). */
    private void at(String time) {
        clock.now.set(Instant.parse(time));
        harness.service.update(cronJobs, "default", "tick", null, RequestOptions.internal(), cj -> {
            Json.metadata(cj).with("annotations").put("test/now", time);
            return cj;
        });
    }

    private List<ObjectNode> jobs() {
        return harness.service.list(jobs, "default", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items().stream()
                .filter(j -> !ObjectMetadata.deleting(j)).toList();
    }

    private void complete(ObjectNode job) {
        harness.service.update(jobs, "default", ObjectMetadata.name(job), "status", RequestOptions.internal(), j -> {
            j.putObject("status").put("completionTime", clock.now.get().toString()).putArray("conditions").addObject()
                    .put("type", "Complete").put("status", "True").put("lastTransitionTime", clock.now.get().toString());
            return j;
        });
    }

    @Test
    void startsOnScheduleAndForbidSkipsWhileOneRuns() {
        create("Forbid");
        at("2026-11-23T10:04:59Z");
        assertTrue(jobs().isEmpty(), "not due yet");
        at("2026-11-23T10:05:01Z");
        await("the 10:05 job", () -> jobs().size() == 1);
        ObjectNode job = jobs().get(0);
        assertEquals("tick-" + Instant.parse("2026-11-23T10:05:00Z").getEpochSecond() / 60, ObjectMetadata.name(job));
        assertEquals("2026-11-23T10:05:00Z", Json.text(job, "metadata", "annotations", CronJobController.SCHEDULED_ANNOTATION));
        assertEquals("ops", Json.text(job, "metadata", "labels", "team"));
        await("status", () -> harness.service.get(cronJobs, "default", "tick").at("/status/active/0/name").asText()
                .equals(ObjectMetadata.name(job)));

        at("2026-11-23T10:10:01Z");
        await("skipped", () -> harness.service.list(ApiResources.of(io.fabric8.kubernetes.api.model.Event.class), "default",
                LabelSelector.EVERYTHING, FieldSelector.parse("reason=JobAlreadyActive")).items().size() == 1);
        assertEquals(1, jobs().size());

        // the skipped 10:10 run is still due: it starts as soon as the running one finished
        complete(job);
        await("the late 10:10 job", () -> jobs().stream().anyMatch(j -> "2026-11-23T10:10:00Z".equals(
                Json.text(j, "metadata", "annotations", CronJobController.SCHEDULED_ANNOTATION))));
        complete(jobs().stream().filter(j -> !ObjectMetadata.name(j).equals(ObjectMetadata.name(job))).findFirst().orElseThrow());
        await("history limit 1", () -> jobs().size() == 1);
        at("2026-11-23T10:25:01Z"); // 10:15 and 10:20 were missed: only the latest runs
        await("the 10:25 job", () -> jobs().stream().anyMatch(j -> "2026-11-23T10:25:00Z".equals(
                Json.text(j, "metadata", "annotations", CronJobController.SCHEDULED_ANNOTATION))));
        assertEquals(2, jobs().size());
        assertTrue(harness.service.get(cronJobs, "default", "tick").at("/status/lastSuccessfulTime").isTextual());
    }

    @Test
    void replaceStopsTheRunningJob() {
        create("Replace");
        at("2026-11-23T10:05:01Z");
        await("first job", () -> jobs().size() == 1);
        String first = ObjectMetadata.name(jobs().get(0));
        at("2026-11-23T10:10:01Z");
        await("replaced", () -> jobs().size() == 1 && !ObjectMetadata.name(jobs().get(0)).equals(first));
    }
}
