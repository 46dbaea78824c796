package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobControllerTest {

    /** Long enough ago that the back-off after a failure is over. */
    static final Instant LONG_AGO = Instant.now().minus(Duration.ofHours(1));

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

    private JsonNode condition(String job, String type) {
        return Conditions.find(job(job).path("status"), type);
    }

    private boolean hasCondition(String job, String type) {
        return Conditions.isTrue(job(job).path("status"), type);
    }

    private void setSuspend(String name, boolean suspend) {
        harness.service.update(jobs, "default", name, null, RequestOptions.internal(), j -> {
            j.with("spec").put("suspend", suspend);
            return j;
        });
    }

    private ObjectNode onlyActivePod() {
        return ControllerHarness.awaitValue("one active pod", () -> {
            List<ObjectNode> active = harness.activePods("default");
            return active.size() == 1 ? active.get(0) : null;
        });
    }

    private List<String> eventMessages(String reason) {
        return harness.events("default", reason).stream().map(e -> e.path("message").asText()).toList();
    }

    @Test
    void sixCompletionsTwoAtATime() {
        create("six", "\"completions\":6,\"parallelism\":2", "Never");
        int most = 0;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (job("six").at("/status/succeeded").asInt() < 6) {
            assertTrue(Instant.now().isBefore(deadline), "the job did not complete");
            List<ObjectNode> active = harness.activePods("default");
            most = Math.max(most, active.size());
            active.forEach(p -> harness.setContainerStatus(p, "Succeeded", 0, 0, Instant.now()));
            sleep(50);
        }
        assertEquals(2, most, "never more than parallelism at once");
        await("Complete", () -> hasCondition("six", "Complete"));
        assertTrue(hasCondition("six", "SuccessCriteriaMet"));
        assertEquals("CompletionsReached", condition("six", "Complete").path("reason").asText());
        ObjectNode six = job("six");
        assertEquals(6, harness.pods("default").size(), "completed pods are kept, no extra pod ran");
        assertTrue(six.at("/status/completionTime").isTextual());
        assertTrue(six.at("/status/active").isMissingNode(), "zero counts are left out");
        assertEquals(0, six.at("/status/ready").asInt(-1));
        assertEquals(0, six.at("/status/terminating").asInt(-1));
        await("events", () -> eventMessages("SuccessfulCreate").size() == 6 && eventMessages("Completed").contains("Job completed"));
        assertTrue(eventMessages("SuccessfulCreate").stream().allMatch(m -> m.matches("Created pod: six-[a-z0-9]{5}")));
        assertTrue(harness.pods("default").stream().allMatch(p -> Json.text(p, "metadata", "generateName").equals("six-")));
    }

    @Test
    void neverKeepsTheFailedPodsAndStopsAtTheBackoffLimit() {
        create("never", "\"backoffLimit\":2", "Never");
        for (int attempt = 0; attempt < 3; attempt++) {
            harness.setContainerStatus(onlyActivePod(), "Failed", 1, 0, LONG_AGO);
        }
        await("Failed", () -> hasCondition("never", "Failed"));
        JsonNode failed = condition("never", "Failed");
        assertEquals("BackoffLimitExceeded", failed.path("reason").asText());
        assertEquals("Job has reached the specified backoff limit", failed.path("message").asText());
        assertEquals("BackoffLimitExceeded", condition("never", "FailureTarget").path("reason").asText());
        assertEquals(3, job("never").at("/status/failed").asInt());
        assertTrue(job("never").at("/status/completionTime").isMissingNode(), "a failed Job has no completion time");
        sleep(300);
        assertEquals(3, harness.pods("default").size(), "the failed pods are kept and no new one starts");
        assertTrue(harness.pods("default").stream().allMatch(p -> Pods.phase(p).equals("Failed")));
        await("warning", () -> harness.events("default", "BackoffLimitExceeded").stream()
                .anyMatch(e -> e.path("type").asText().equals("Warning")));
    }

    @Test
    void aFailedPodIsReplacedOnlyAfterTheBackoff() {
        create("later", "\"backoffLimit\":6", "Never");
        harness.setContainerStatus(onlyActivePod(), "Failed", 1, 0, Instant.now());
        await("the failure counted", () -> job("later").at("/status/failed").asInt() == 1);
        sleep(1000);
        assertEquals(1, harness.pods("default").size(), "10 s back-off before the replacement");
    }

    @Test
    void backoffDoublesUpToSixMinutes() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(Duration.ofSeconds(10), JobPods.backoff(1, now, now));
        assertEquals(Duration.ofSeconds(40), JobPods.backoff(3, now, now));
        assertEquals(Duration.ofMinutes(6), JobPods.backoff(10, now, now));
        assertEquals(Duration.ofSeconds(5), JobPods.backoff(1, now.minusSeconds(5), now));
        assertEquals(Duration.ZERO, JobPods.backoff(1, now.minusSeconds(60), now));
    }

    @Test
    void onFailureFailsWhenRestartsReachTheBackoffLimit() {
        create("retry", "\"backoffLimit\":3", "OnFailure");
        ObjectNode pod = onlyActivePod();
        harness.setContainerStatus(pod, "Running", 0, 2, Instant.now());
        await("ready seen", () -> job("retry").at("/status/ready").asInt() == 1);
        assertFalse(hasCondition("retry", "FailureTarget"), "2 restarts are below the limit of 3");
        harness.setContainerStatus(pod, "Running", 0, 3, Instant.now());
        await("Failed", () -> hasCondition("retry", "Failed"));
        assertEquals("BackoffLimitExceeded", condition("retry", "Failed").path("reason").asText());
        // unbound here, so it goes at once; on a node it would be stopped gracefully first
        assertTrue(harness.pods("default").isEmpty(), "the restarting pod is stopped");
        assertEquals(1, job("retry").at("/status/failed").asInt(), "a pod stopped by the failing Job counts as failed");
    }

    @Test
    void aWorkQueueLetsTheOtherPodsFinish() {
        create("queue", "\"parallelism\":3", "Never");
        await("3 pods", () -> harness.activePods("default").size() == 3);
        List<ObjectNode> pods = harness.activePods("default");
        harness.setContainerStatus(pods.get(0), "Succeeded", 0, 0, Instant.now());
        await("one success counted", () -> job("queue").at("/status/succeeded").asInt() == 1);
        sleep(300);
        assertEquals(2, harness.activePods("default").size(), "the others keep running, no new pod starts");
        assertFalse(hasCondition("queue", "Complete"));
        harness.setContainerStatus(pods.get(1), "Succeeded", 0, 0, Instant.now());
        harness.setContainerStatus(pods.get(2), "Succeeded", 0, 0, Instant.now());
        await("Complete", () -> hasCondition("queue", "Complete"));
        assertEquals(3, job("queue").at("/status/succeeded").asInt());
        assertEquals(3, harness.pods("default").size());
    }

    @Test
    void suspendStopsAndResumeStartsAgain() {
        create("pause", "\"parallelism\":2,\"completions\":2", "Never");
        await("2 pods", () -> harness.activePods("default").size() == 2);
        setSuspend("pause", true);
        await("suspended", () -> harness.pods("default").isEmpty() && hasCondition("pause", "Suspended"));
        assertEquals("JobSuspended", condition("pause", "Suspended").path("reason").asText());
        assertTrue(job("pause").at("/status/failed").isMissingNode(), "pods stopped by suspending are no failures");
        Instant beforeResume = Instant.now().minusSeconds(1);
        setSuspend("pause", false);
        await("resumed", () -> harness.activePods("default").size() == 2);
        await("condition False", () -> condition("pause", "Suspended").path("status").asText().equals("False"));
        assertEquals("JobResumed", condition("pause", "Suspended").path("reason").asText());
        assertTrue(Instant.parse(job("pause").at("/status/startTime").asText()).isAfter(beforeResume),
                "the deadline clock starts over on resume");
        await("events", () -> eventMessages("Suspended").contains("Job suspended") && eventMessages("Resumed").contains("Job resumed"));
    }

    @Test
    void aJobCreatedSuspendedWaits() {
        create("held", "\"suspend\":true", "Never");
        await("Suspended", () -> hasCondition("held", "Suspended"));
        assertTrue(harness.pods("default").isEmpty());
        assertTrue(job("held").at("/status/startTime").isMissingNode(), "not started while suspended");
    }

    @Test
    void theDeadlineFailsTheJobAndStopsItsPods() {
        create("slow", "\"activeDeadlineSeconds\":1,\"parallelism\":2,\"completions\":4", "Never");
        await("2 pods", () -> harness.activePods("default").size() == 2);
        await("Failed", Duration.ofSeconds(5), () -> hasCondition("slow", "Failed"));
        assertEquals("DeadlineExceeded", condition("slow", "Failed").path("reason").asText());
        assertEquals("Job was active longer than specified deadline", condition("slow", "Failed").path("message").asText());
        assertTrue(harness.pods("default").isEmpty());
        assertEquals(2, job("slow").at("/status/failed").asInt());
    }

    @Test
    void aFailingJobIsFailedOnlyOnceItsPodsStopped() {
        create("graceful", "\"activeDeadlineSeconds\":1,\"parallelism\":2,\"completions\":2", "Never");
        await("2 pods", () -> harness.activePods("default").size() == 2);
        // on a node, a deleted pod stays until its kubelet stopped the containers
        harness.activePods("default").forEach(p -> harness.service.bind(harness.pods, "default", ObjectMetadata.name(p), "node-a"));
        await("FailureTarget", Duration.ofSeconds(5), () -> hasCondition("graceful", "FailureTarget")
                && job("graceful").at("/status/terminating").asInt() == 2);
        assertEquals("DeadlineExceeded", condition("graceful", "FailureTarget").path("reason").asText());
        assertFalse(hasCondition("graceful", "Failed"), "not Failed while pods are still stopping");
        assertEquals(2, harness.pods("default").size());
        assertEquals(0, job("graceful").at("/status/ready").asInt(-1));
        harness.finishDeletions("default");
        await("Failed", () -> hasCondition("graceful", "Failed") && job("graceful").at("/status/terminating").asInt() == 0);
        assertEquals("DeadlineExceeded", condition("graceful", "Failed").path("reason").asText());
        assertEquals(2, job("graceful").at("/status/failed").asInt());
    }

    @Test
    void theTimeToLiveDeletesTheFinishedJob() {
        create("brief", "\"ttlSecondsAfterFinished\":1", "Never");
        harness.setContainerStatus(onlyActivePod(), "Succeeded", 0, 0, Instant.now());
        await("Complete", () -> harness.service.find(jobs, "default", "brief").map(j -> Conditions.isTrue(j.path("status"), "Complete"))
                .orElse(true));
        await("deleted", Duration.ofSeconds(5), () -> harness.service.find(jobs, "default", "brief").isEmpty());
    }

    @Test
    void aDeletedSucceededPodIsNotRunAgain() {
        create("twice", "\"completions\":2", "Never");
        ObjectNode first = onlyActivePod();
        harness.setContainerStatus(first, "Succeeded", 0, 0, Instant.now());
        await("second pod", () -> harness.activePods("default").size() == 1 && job("twice").at("/status/succeeded").asInt() == 1);
        harness.service.delete(harness.pods, "default", ObjectMetadata.name(first), DeleteOptions.background());
        sleep(300);
        assertEquals(1, job("twice").at("/status/succeeded").asInt(), "the count does not go down");
        assertEquals(1, harness.pods("default").size(), "no pod for the deleted one's work");
    }

    @Test
    void anIndexedJobRunsEveryIndexOnce() {
        create("idx", "\"completionMode\":\"Indexed\",\"completions\":3,\"parallelism\":2", "Never");
        await("2 pods", () -> harness.activePods("default").size() == 2);
        assertEquals(Set.of(0, 1), indexes(harness.activePods("default")));
        ObjectNode one = harness.activePods("default").stream().filter(p -> CompletionIndexes.of(p) == 1).findFirst().orElseThrow();
        assertTrue(ObjectMetadata.name(one).startsWith("idx-1-"));
        assertEquals("1", ObjectMetadata.labels(one).get(CompletionIndexes.KEY));
        assertEquals("idx-1", Json.text(one, "spec", "hostname"));
        JsonNode env = one.at("/spec/containers/0/env/0");
        assertEquals("JOB_COMPLETION_INDEX", env.path("name").asText());
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.at("/valueFrom/fieldRef/fieldPath").asText());

        harness.setContainerStatus(one, "Succeeded", 0, 0, Instant.now());
        await("index 2 started, index 1 recorded", () -> indexes(harness.activePods("default")).equals(Set.of(0, 2))
                && job("idx").at("/status/completedIndexes").asText().equals("1"));
        harness.activePods("default").forEach(p -> harness.setContainerStatus(p, "Succeeded", 0, 0, Instant.now()));
        await("Complete", () -> hasCondition("idx", "Complete"));
        assertEquals("0-2", job("idx").at("/status/completedIndexes").asText());
        assertEquals(3, job("idx").at("/status/succeeded").asInt());
    }

    private static Set<Integer> indexes(List<ObjectNode> pods) {
        Set<Integer> indexes = new TreeSet<>();
        pods.forEach(p -> indexes.add(CompletionIndexes.of(p)));
        return indexes;
    }

    @Test
    void completedIndexesAreWrittenAsRanges() {
        assertEquals("0-2,5,7-8", CompletionIndexes.format(new TreeSet<>(List.of(0, 1, 2, 5, 7, 8))));
        assertEquals(new TreeSet<>(List.of(0, 1, 2, 5, 7, 8)), CompletionIndexes.parse("0-2,5,7-8"));
        assertEquals("", CompletionIndexes.format(new TreeSet<>()));
        assertEquals(List.of(1, 4), CompletionIndexes.pending(Set.of(0, 3), Set.of(2), 6, 2));
        assertEquals("a-very-long-name-of-a-job-that-goes-on-and-on-and-on-a-12-",
                CompletionIndexes.generateName("a-very-long-name-of-a-job-that-goes-on-and-on-and-on-and-on", 12));
    }

    @Test
    void thePodFailurePolicyFailsOrIgnores() {
        harness.create(Job.class, "default", """
                {"metadata":{"name":"policy"},"spec":{"backoffLimit":0,"podFailurePolicy":{"rules":[
                  {"action":"FailJob","onExitCodes":{"containerName":"c","operator":"In","values":[42]}},
                  {"action":"Ignore","onExitCodes":{"operator":"In","values":[3]}}]},
                 "template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}""");
        ObjectNode ignored = onlyActivePod();
        harness.setContainerStatus(ignored, "Failed", 3, 0, Instant.now());
        await("a replacement at once", () -> harness.activePods("default").size() == 1);
        assertFalse(hasCondition("policy", "Failed"), "an ignored failure does not count toward backoffLimit 0");
        assertTrue(job("policy").at("/status/failed").isMissingNode());

        ObjectNode fatal = onlyActivePod();
        harness.setContainerStatus(fatal, "Failed", 42, 0, Instant.now());
        await("Failed", () -> hasCondition("policy", "Failed"));
        assertEquals("PodFailurePolicy", condition("policy", "Failed").path("reason").asText());
        assertEquals("Container c for pod default/" + ObjectMetadata.name(fatal) + " failed with exit code 42 matching FailJob rule at index 0",
                condition("policy", "Failed").path("message").asText());
    }

    @Test
    void podFailurePolicyMatchesConditionsAndSkipsExitCodeZero() {
        JsonNode policy = Json.parseObject("""
                {"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget","status":"True"}]},
                 {"action":"Count","onExitCodes":{"operator":"NotIn","values":[1]}}]}""".getBytes());
        JsonNode disrupted = Json.parseObject("""
                {"metadata":{"name":"p","namespace":"ns"},"status":{"conditions":[{"type":"DisruptionTarget","status":"True"}]}}"""
                .getBytes());
        assertEquals("Ignore", PodFailurePolicy.match(policy, disrupted).action());
        assertEquals("Pod ns/p has condition DisruptionTarget matching Ignore rule at index 0",
                PodFailurePolicy.match(policy, disrupted).message());
        JsonNode exitedZero = Json.parseObject("""
                {"metadata":{"name":"p"},"status":{"containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0}}}]}}"""
                .getBytes());
        assertNull(PodFailurePolicy.match(policy, exitedZero), "exit code 0 never matches");
        JsonNode exitedTwo = Json.parseObject("""
                {"metadata":{"name":"p"},"status":{"containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":2}}}]}}"""
                .getBytes());
        assertEquals("Count", PodFailurePolicy.match(policy, exitedTwo).action());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
