package dev.tug.controlplane.controllers;

import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.tug.controlplane.controllers.ControllerHarness.await;

/** On the real clock: nothing but the controller's own timer starts the Job. */
class CronJobTimerTest {

    @TempDir
    Path dir;

    @Test
    void theControllerWakesUpAtTheScheduledTime() throws Exception {
        try (ControllerHarness harness = new ControllerHarness(dir)) {
            harness.start(service -> new CronJobController(service, new EventRecorder(service, "cronjob-controller")));
            harness.create(CronJob.class, "default", """
                    {"metadata":{"name":"soon"},"spec":{"schedule":"@every 2s",
                     "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never",
                      "containers":[{"name":"c","image":"busybox"}]}}}}}}""");
            // no further writes: only a timer set for the next scheduled time can start it
            await("a Job", Duration.ofSeconds(6), () -> !harness.service.list(ApiResources.of(Job.class), "default",
                    LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items().isEmpty());
            await("lastScheduleTime", () -> harness.service.get(ApiResources.of(CronJob.class), "default", "soon")
                    .at("/status/lastScheduleTime").isTextual());
        }
    }
}
