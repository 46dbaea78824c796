package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.TableFixtures.ago;
import static dev.tug.controlplane.tables.TableFixtures.cells;
import static dev.tug.controlplane.tables.TableFixtures.defaultCells;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodTableTest {

    private static final String CREATED = "\"creationTimestamp\": \"" + ago(Duration.ofHours(3)) + "\"";
    private static final String ONE_CONTAINER = "\"spec\": {\"nodeName\": \"node-a\", \"containers\": [{\"name\": \"app\"}]}";

    /** A pod named web-1, created 3h ago, with one container "app" unless {@code spec} says otherwise. */
    private static String pod(String spec, String status) {
        return pod("", spec, status);
    }

    private static String pod(String extraMetadata, String spec, String status) {
        return "{\"metadata\": {\"name\": \"web-1\", " + CREATED + extraMetadata + "}, "
                + spec + ", \"status\": " + status + "}";
    }

    private static String containerStatus(String name, boolean ready, long restarts, String state) {
        return "{\"name\": \"" + name + "\", \"ready\": " + ready + ", \"restartCount\": " + restarts
                + ", \"state\": " + state + "}";
    }

    private static String status(String phase, String containerStatuses) {
        return "{\"phase\": \"" + phase + "\", \"containerStatuses\": [" + containerStatuses + "]}";
    }

    private static final String RUNNING = "{\"running\": {\"startedAt\": \"" + ago(Duration.ofHours(2)) + "\"}}";

    @Test
    void runningPodShowsEveryColumnIncludingWide() {
        String spec = "\"spec\": {\"nodeName\": \"node-a\", \"containers\": [{\"name\": \"app\"}, {\"name\": \"log\"}]}";
        String status = "{\"phase\": \"Running\", \"podIP\": \"10.244.1.5\", \"podIPs\": [{\"ip\": \"10.244.1.5\"}],"
                + " \"containerStatuses\": [" + containerStatus("app", true, 0, RUNNING) + ", "
                + containerStatus("log", true, 0, RUNNING) + "]}";

        assertEquals(List.of("web-1", "2/2", "Running", "0", "3h", "10.244.1.5", "node-a", "<none>", "<none>"),
                cells("Pod", pod(spec, status)));
    }

    @Test
    void crashLoopShowsRestartsWithTheTimeOfTheLastOne() {
        String state = "{\"waiting\": {\"reason\": \"CrashLoopBackOff\"}}";
        String status = "{\"phase\": \"Running\", \"containerStatuses\": [{\"name\": \"app\", \"ready\": false,"
                + " \"restartCount\": 5, \"state\": " + state + ", \"lastState\": {\"terminated\": {\"exitCode\": 1,"
                + " \"reason\": \"Error\", \"finishedAt\": \"" + ago(Duration.ofMinutes(5)) + "\"}}}]}";

        assertEquals(List.of("web-1", "0/1", "CrashLoopBackOff", "5 (5m ago)", "3h"),
                defaultCells("Pod", pod(ONE_CONTAINER, status)));
    }

    @Test
    void restartsWithoutAKnownLastTerminationHaveNoSuffix() {
        String status = status("Running", containerStatus("app", true, 2, RUNNING));

        assertEquals("2", cells("Pod", pod(ONE_CONTAINER, status)).get(3));
    }

    @Test
    void waitingReasonOfAContainerIsTheStatus() {
        String status = status("Pending", containerStatus("app", false, 0,
                "{\"waiting\": {\"reason\": \"ContainerCreating\"}}"));

        assertEquals(List.of("web-1", "0/1", "ContainerCreating", "0", "3h"),
                defaultCells("Pod", pod(ONE_CONTAINER, status)));
    }

    @Test
    void terminatedContainersShowTheirReasonOrExitCodeOrSignal() {
        assertEquals("Completed", statusOf(status("Succeeded", containerStatus("app", false, 0,
                "{\"terminated\": {\"exitCode\": 0, \"reason\": \"Completed\"}}"))));
        assertEquals("Error", statusOf(status("Failed", containerStatus("app", false, 0,
                "{\"terminated\": {\"exitCode\": 1, \"reason\": \"Error\"}}"))));
        assertEquals("ExitCode:137", statusOf(status("Failed", containerStatus("app", false, 0,
                "{\"terminated\": {\"exitCode\": 137}}"))));
        assertEquals("Signal:9", statusOf(status("Failed", containerStatus("app", false, 0,
                "{\"terminated\": {\"exitCode\": 137, \"signal\": 9}}"))));
    }

    @Test
    void theFirstContainerWithAReasonWins() {
        String status = status("Running", containerStatus("app", false, 0,
                "{\"waiting\": {\"reason\": \"ImagePullBackOff\"}}") + ", "
                + containerStatus("log", false, 0, "{\"waiting\": {\"reason\": \"ContainerCreating\"}}"));

        assertEquals("ImagePullBackOff", statusOf(status));
    }

    @Test
    void completedContainerBesideARunningOneIsRunningOrNotReady() {
        String containers = containerStatus("job", false, 0,
                "{\"terminated\": {\"exitCode\": 0, \"reason\": \"Completed\"}}") + ", "
                + containerStatus("server", true, 0, RUNNING);
        String ready = "{\"phase\": \"Running\", \"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}],"
                + " \"containerStatuses\": [" + containers + "]}";
        String notReady = "{\"phase\": \"Running\", \"conditions\": [{\"type\": \"Ready\", \"status\": \"False\"}],"
                + " \"containerStatuses\": [" + containers + "]}";

        assertEquals("Running", statusOf(ready));
        assertEquals("NotReady", statusOf(notReady));
        assertEquals("1/1", cells("Pod", pod(ONE_CONTAINER, ready)).get(1));
    }

    @Test
    void podReasonOverridesThePhase() {
        assertEquals("Evicted", statusOf("{\"phase\": \"Failed\", \"reason\": \"Evicted\"}"));
        assertEquals("Pending", statusOf("{\"phase\": \"Pending\"}"));
    }

    @Test
    void schedulingGatedPodSaysSo() {
        assertEquals("SchedulingGated", statusOf("{\"phase\": \"Pending\", \"conditions\": [{\"type\":"
                + " \"PodScheduled\", \"status\": \"False\", \"reason\": \"SchedulingGated\"}]}"));
    }

    @Test
    void pendingPodWithoutStatusesHasNoIpOrNode() {
        String spec = "\"spec\": {\"containers\": [{\"name\": \"app\"}]}";

        assertEquals(List.of("web-1", "0/1", "Pending", "0", "3h", "<none>", "<none>", "<none>", "<none>"),
                cells("Pod", pod(spec, "{\"phase\": \"Pending\"}")));
    }

    @Test
    void runningInitContainerShowsInitProgress() {
        String spec = "\"spec\": {\"initContainers\": [{\"name\": \"migrate\"}], \"containers\": [{\"name\": \"app\"}]}";
        String status = "{\"phase\": \"Pending\", \"initContainerStatuses\": [" + containerStatus("migrate", false, 0,
                RUNNING) + "], \"containerStatuses\": [" + containerStatus("app", false, 0,
                "{\"waiting\": {\"reason\": \"PodInitializing\"}}") + "]}";

        assertEquals(List.of("web-1", "0/1", "Init:0/1", "0", "3h"), defaultCells("Pod", pod(spec, status)));
    }

    @Test
    void secondInitContainerAfterTheFirstSucceeded() {
        String spec = "\"spec\": {\"initContainers\": [{\"name\": \"a\"}, {\"name\": \"b\"}],"
                + " \"containers\": [{\"name\": \"app\"}]}";
        String status = "{\"phase\": \"Pending\", \"initContainerStatuses\": ["
                + containerStatus("a", false, 0, "{\"terminated\": {\"exitCode\": 0, \"reason\": \"Completed\"}}")
                + ", " + containerStatus("b", false, 0, "{\"waiting\": {\"reason\": \"PodInitializing\"}}") + "]}";

        assertEquals("Init:1/2", cells("Pod", pod(spec, status)).get(2));
    }

    @Test
    void failingInitContainerShowsItsReasonAndRestarts() {
        String spec = "\"spec\": {\"initContainers\": [{\"name\": \"migrate\"}], \"containers\": [{\"name\": \"app\"}]}";
        String crashing = "{\"phase\": \"Pending\", \"initContainerStatuses\": [{\"name\": \"migrate\", \"restartCount\": 3,"
                + " \"state\": {\"waiting\": {\"reason\": \"CrashLoopBackOff\"}}, \"lastState\": {\"terminated\":"
                + " {\"exitCode\": 1, \"finishedAt\": \"" + ago(Duration.ofSeconds(40)) + "\"}}}]}";
        String failed = "{\"phase\": \"Pending\", \"initContainerStatuses\": [" + containerStatus("migrate", false, 0,
                "{\"terminated\": {\"exitCode\": 2, \"reason\": \"Error\"}}") + "]}";
        String noReason = "{\"phase\": \"Pending\", \"initContainerStatuses\": [" + containerStatus("migrate", false, 0,
                "{\"terminated\": {\"exitCode\": 2}}") + "]}";

        assertEquals(List.of("web-1", "0/1", "Init:CrashLoopBackOff", "3 (40s ago)", "3h"),
                defaultCells("Pod", pod(spec, crashing)));
        assertEquals("Init:Error", cells("Pod", pod(spec, failed)).get(2));
        assertEquals("Init:ExitCode:2", cells("Pod", pod(spec, noReason)).get(2));
    }

    @Test
    void sidecarInitContainerCountsAsAContainer() {
        String spec = "\"spec\": {\"initContainers\": [{\"name\": \"proxy\", \"restartPolicy\": \"Always\"}],"
                + " \"containers\": [{\"name\": \"app\"}]}";
        String status = "{\"phase\": \"Running\", \"conditions\": [{\"type\": \"Initialized\", \"status\": \"True\"}],"
                + " \"initContainerStatuses\": [{\"name\": \"proxy\", \"ready\": true, \"started\": true,"
                + " \"restartCount\": 2, \"state\": " + RUNNING + ", \"lastState\": {\"terminated\": {\"exitCode\": 1,"
                + " \"finishedAt\": \"" + ago(Duration.ofMinutes(10)) + "\"}}}],"
                + " \"containerStatuses\": [{\"name\": \"app\", \"ready\": true, \"restartCount\": 1, \"state\": "
                + RUNNING + ", \"lastState\": {\"terminated\": {\"exitCode\": 1,"
                + " \"finishedAt\": \"" + ago(Duration.ofMinutes(2)) + "\"}}}]}";

        assertEquals(List.of("web-1", "2/2", "Running", "3 (2m ago)", "3h"), defaultCells("Pod", pod(spec, status)));
    }

    @Test
    void deletedPodIsTerminatingUnlessFinishedOrOnALostNode() {
        String deleted = ", \"deletionTimestamp\": \"" + ago(Duration.ofSeconds(5)) + "\"";
        String running = status("Running", containerStatus("app", true, 0, RUNNING));
        String succeeded = status("Succeeded", containerStatus("app", false, 0,
                "{\"terminated\": {\"exitCode\": 0, \"reason\": \"Completed\"}}"));
        String nodeLost = "{\"phase\": \"Running\", \"reason\": \"NodeLost\", \"containerStatuses\": ["
                + containerStatus("app", true, 0, RUNNING) + "]}";

        assertEquals("Terminating", cells("Pod", pod(deleted, ONE_CONTAINER, running)).get(2));
        assertEquals("Completed", cells("Pod", pod(deleted, ONE_CONTAINER, succeeded)).get(2));
        assertEquals("Unknown", cells("Pod", pod(deleted, ONE_CONTAINER, nodeLost)).get(2));
    }

    @Test
    void wideColumnsShowNominatedNodeReadinessGatesAndTheLegacyPodIp() {
        String spec = "\"spec\": {\"containers\": [{\"name\": \"app\"}], \"readinessGates\": ["
                + "{\"conditionType\": \"example.com/lb\"}, {\"conditionType\": \"example.com/dns\"}]}";
        String status = "{\"phase\": \"Pending\", \"podIP\": \"10.0.0.7\", \"nominatedNodeName\": \"node-b\","
                + " \"conditions\": [{\"type\": \"example.com/lb\", \"status\": \"True\"},"
                + " {\"type\": \"example.com/dns\", \"status\": \"False\"}]}";

        assertEquals(List.of("10.0.0.7", "<none>", "node-b", "1/2"), cells("Pod", pod(spec, status)).subList(5, 9));
    }

    private static String statusOf(String status) {
        return (String) cells("Pod", pod(ONE_CONTAINER, status)).get(2);
    }
}
