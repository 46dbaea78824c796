package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobControllerTest {

    @TempDir
    Path dir;
    ControllerHarness harness;
    final ResourceType jobs = ApiResources.of(Job.class);

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir);
        harness.start(service -> new JobController(service, new EventRecorder(service, "job-controller")));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private void create(String name, String spec, String restartPolicy) {
        harness.create(Job.class, "default", """
                {"metadata":{"name":"%s"},"spec":{%s,"template":{"spec":{"restartPolicy":"%s",
                 "containers":[{"name":"c","image":"busybox","command":["true"]}]}}}}
                """.formatted(name, spec, restartPolicy));
    }

    private ObjectNode job(String name) {
        return harness.service.get(jobs, "default", name);
    }

    /** What a kubelet reports for a container that ended. */
    private void finish(ObjectNode pod, int exitCode, int restarts, String phase) {
        String now = Instant.now().toString();
        harness.service.update(harness.pods, "default", ObjectMetadata.name(pod), "status", RequestOptions.internal(), p -> {
            ObjectNode status = p.putObject("status");
            status.put("phase", phase);
            ObjectNode container = status.putArray("containerStatuses").addObject();
            container.put("name", "c").put("restartCount", restarts);
            if (phase.equals("Running")) {
                container.putObject("state").putObject("running").put("startedAt", now);
            } else {
                container.putObject("state").putObject("terminated").put("exitCode", exitCode).put("finishedAt", now);
            }
            return p;
        });
    }

    @Test
    void sixCompletionsTwoAtATime() {
        create("six", "\"completions\":6,\"parallelism\":2", "Never");
        int most = 0;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (job("six").at("/status/succeeded").asInt() < 6) {
            assertTrue(Instant.now().isBefore(deadline), "the job did not complete");
            var active = harness.activePods("default");
            most = Math.max(most, active.size());
            active.forEach(p -> finish(p, 0, 0, "Succeeded"));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(2, most);
        await("Complete", () -> job("six").at("/status/conditions").toString().contains("\"type\":\"Complete\""));
        assertEquals(6, harness.pods("default").size(), "completed pods are kept");
        assertTrue(job("six").has("status") && job("six").at("/status/completionTime").isTextual());
        assertTrue(harness.activePods("default").isEmpty());
    }

    @Test
    void neverKeepsTheFailedPodAndStopsAtTheBackoffLimit() {
        create("never", "\"backoffLimit\":0", "Never");
        await("a pod", () -> harness.activePods("default").size() == 1);
        finish(harness.activePods("default").get(0), 2, 0, "Failed");
        await("Failed", () -> job("never").at("/status/conditions").toString().contains("BackoffLimitExceeded"));
        assertEquals(1, harness.pods("default").size(), "no new pod after the limit, the failed one kept");
        assertEquals(1, job("never").at("/status/failed").asInt());
    }

    @Test
    void onFailureCountsRestartsAndStopsThePod() {
        create("retry", "\"backoffLimit\":2", "OnFailure");
        await("a pod", () -> harness.activePods("default").size() == 1);
        ObjectNode pod = harness.activePods("default").get(0);
        finish(pod, 0, 2, "Running");
        assertTrue(job("retry").at("/status/conditions").isMissingNode() || !job("retry").at("/status/conditions").toString().contains("Failed"));
        finish(pod, 0, 3, "Running");
        await("Failed", () -> job("retry").at("/status/conditions").toString().contains("BackoffLimitExceeded"));
        // unbound here, so it goes at once; on a node it would be stopped gracefully first
        assertTrue(harness.activePods("default").isEmpty(), "the restarting pod is stopped");
    }

    @Test
    void suspendStopsAndResumeStartsAgain() {
        create("later", "\"parallelism\":2,\"completions\":2", "Never");
        await("2 pods", () -> harness.activePods("default").size() == 2);
        harness.service.update(jobs, "default", "later", null, RequestOptions.internal(), j -> {
            j.with("spec").put("suspend", true);
            return j;
        });
        await("suspended", () -> harness.activePods("default").isEmpty()
                && job("later").at("/status/conditions").toString().contains("Suspended"));
        harness.finishDeletions("default");
        harness.service.update(jobs, "default", "later", null, RequestOptions.internal(), j -> {
            j.with("spec").put("suspend", false);
            return j;
        });
        await("resumed", () -> harness.activePods("default").size() == 2);
    }
}
