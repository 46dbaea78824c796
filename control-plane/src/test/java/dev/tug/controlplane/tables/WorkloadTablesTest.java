package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.TableFixtures.ago;
import static dev.tug.controlplane.tables.TableFixtures.cells;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTablesTest {

    private static final String METADATA = "\"metadata\": {\"name\": \"web\", \"creationTimestamp\": \""
            + ago(Duration.ofSeconds(312)) + "\"}";
    private static final String TEMPLATE = "\"template\": {\"spec\": {\"containers\": ["
            + "{\"name\": \"nginx\", \"image\": \"nginx:1.27\"}, {\"name\": \"log\", \"image\": \"busybox\"}]}}";

    @Test
    void deploymentShowsReadyOfDesiredAndItsSelector() {
        String deployment = "{" + METADATA + ", \"spec\": {\"replicas\": 3, " + TEMPLATE + ", \"selector\": {"
                + "\"matchLabels\": {\"app\": \"web\"}, \"matchExpressions\": [{\"key\": \"tier\", \"operator\": \"In\","
                + " \"values\": [\"front\", \"edge\"]}, {\"key\": \"canary\", \"operator\": \"DoesNotExist\"}]}},"
                + " \"status\": {\"readyReplicas\": 2, \"updatedReplicas\": 3, \"availableReplicas\": 2}}";

        assertEquals(List.of("web", "2/3", 3L, 2L, "5m12s", "nginx,log", "nginx:1.27,busybox",
                "app=web,!canary,tier in (edge,front)"), cells("Deployment", deployment));
    }

    @Test
    void deploymentDefaultsToOneReplicaAndShowsABadSelectorAsInvalid() {
        String noSelector = "{" + METADATA + ", \"spec\": {}}";
        String badSelector = "{" + METADATA + ", \"spec\": {\"selector\": {\"matchExpressions\": "
                + "[{\"key\": \"a\", \"operator\": \"Near\"}]}}}";

        assertEquals(List.of("web", "0/1", 0L, 0L, "5m12s", "", "", ""), cells("Deployment", noSelector));
        assertEquals("<invalid>", cells("Deployment", badSelector).get(7));
    }

    @Test
    void replicaSetCountsAndFormatsAnEmptySelectorAsNone() {
        String replicaSet = "{" + METADATA + ", \"spec\": {\"replicas\": 2, " + TEMPLATE + "},"
                + " \"status\": {\"replicas\": 2, \"readyReplicas\": 1}}";
        String withExists = "{" + METADATA + ", \"spec\": {\"selector\": {\"matchExpressions\": "
                + "[{\"key\": \"app\", \"operator\": \"Exists\"}, {\"key\": \"env\", \"operator\": \"NotIn\","
                + " \"values\": [\"prod\"]}]}}}";
        String invalid = "{" + METADATA + ", \"spec\": {\"selector\": {\"matchExpressions\": "
                + "[{\"key\": \"app\", \"operator\": \"In\", \"values\": []}]}}}";

        assertEquals(List.of("web", 2L, 2L, 1L, "5m12s", "nginx,log", "nginx:1.27,busybox", "<none>"),
                cells("ReplicaSet", replicaSet));
        assertEquals("app,env notin (prod)", cells("ReplicaSet", withExists).get(7));
        assertEquals("<error>", cells("ReplicaSet", invalid).get(7));
    }

    @Test
    void replicationControllerSelectorIsALabelMap() {
        String controller = "{" + METADATA + ", \"spec\": {\"replicas\": 1, \"selector\": {\"tier\": \"a\","
                + " \"app\": \"web\"}, " + TEMPLATE + "}, \"status\": {\"replicas\": 1, \"readyReplicas\": 1}}";

        assertEquals(List.of("web", 1L, 1L, 1L, "5m12s", "nginx,log", "nginx:1.27,busybox", "app=web,tier=a"),
                cells("ReplicationController", controller));
    }

    @Test
    void daemonSetShowsItsNodeSelector() {
        String daemonSet = "{" + METADATA + ", \"spec\": {\"selector\": {\"matchLabels\": {\"app\": \"agent\"}},"
                + " \"template\": {\"spec\": {\"nodeSelector\": {\"kubernetes.io/os\": \"linux\"}, \"containers\":"
                + " [{\"name\": \"agent\", \"image\": \"agent:2\"}]}}}, \"status\": {\"desiredNumberScheduled\": 3,"
                + " \"currentNumberScheduled\": 3, \"numberReady\": 2, \"updatedNumberScheduled\": 3,"
                + " \"numberAvailable\": 2}}";

        assertEquals(List.of("web", 3L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux", "5m12s", "agent", "agent:2",
                "app=agent"), cells("DaemonSet", daemonSet));
        assertEquals("<none>", cells("DaemonSet", "{" + METADATA + "}").get(6));
    }

    @Test
    void completedJobShowsCompletionsAndHowLongItRan() {
        String job = "{" + METADATA + ", \"spec\": {\"completions\": 1, \"selector\": {\"matchLabels\":"
                + " {\"batch.kubernetes.io/controller-uid\": \"u1\"}}, \"template\": {\"spec\": {\"containers\":"
                + " [{\"name\": \"pi\", \"image\": \"perl:5.34\"}]}}}, \"status\": {\"succeeded\": 1,"
                + " \"startTime\": \"" + ago(Duration.ofSeconds(300)) + "\", \"completionTime\": \""
                + ago(Duration.ofSeconds(270)) + "\", \"conditions\": [{\"type\": \"Complete\", \"status\": \"True\"}]}}";

        assertEquals(List.of("web", "Complete", "1/1", "30s", "5m12s", "pi", "perl:5.34",
                "batch.kubernetes.io/controller-uid=u1"), cells("Job", job));
    }

    @Test
    void runningJobCountsFromItsStart() {
        String parallel = "{" + METADATA + ", \"spec\": {\"parallelism\": 4}, \"status\": {\"succeeded\": 1,"
                + " \"startTime\": \"" + ago(Duration.ofSeconds(65)) + "\"}}";
        String notStarted = "{" + METADATA + ", \"spec\": {\"parallelism\": 1}}";

        assertEquals(List.of("web", "Running", "1/1 of 4", "65s", "5m12s"), cells("Job", parallel).subList(0, 5));
        assertEquals(List.of("web", "Running", "0/1", "", "5m12s"), cells("Job", notStarted).subList(0, 5));
    }

    @Test
    void jobStatusFollowsItsConditions() {
        assertEquals("Failed", jobStatus("\"status\": {\"conditions\": [{\"type\": \"Failed\", \"status\": \"True\"}]}"));
        assertEquals("Suspended", jobStatus("\"status\": {\"conditions\": [{\"type\": \"Suspended\", \"status\": \"True\"}]}"));
        assertEquals("Running", jobStatus("\"status\": {\"conditions\": [{\"type\": \"Suspended\", \"status\": \"False\"}]}"));
        assertEquals("FailureTarget", jobStatus("\"status\": {\"conditions\": [{\"type\": \"FailureTarget\","
                + " \"status\": \"True\"}]}"));
    }

    @Test
    void deletedJobIsTerminatingUnlessFinished() {
        String job = "{\"metadata\": {\"name\": \"web\", \"deletionTimestamp\": \"" + ago(Duration.ofSeconds(1))
                + "\"}, \"status\": {}}";

        assertEquals("Terminating", cells("Job", job).get(1));
    }

    @Test
    void cronJobShowsScheduleSuspendActiveAndLastSchedule() {
        String cronJob = "{" + METADATA + ", \"spec\": {\"schedule\": \"*/5 * * * *\", \"timeZone\": \"Etc/UTC\","
                + " \"suspend\": true, \"jobTemplate\": {\"spec\": {\"template\": {\"spec\": {\"containers\":"
                + " [{\"name\": \"hello\", \"image\": \"busybox:1.28\"}]}}}}}, \"status\": {\"active\": [{\"name\": \"a\"},"
                + " {\"name\": \"b\"}], \"lastScheduleTime\": \"" + ago(Duration.ofMinutes(3)) + "\"}}";
        String fresh = "{" + METADATA + ", \"spec\": {\"schedule\": \"@hourly\"}}";

        assertEquals(List.of("web", "*/5 * * * *", "Etc/UTC", "True", 2L, "3m", "5m12s", "hello", "busybox:1.28",
                "<none>"), cells("CronJob", cronJob));
        assertEquals(List.of("web", "@hourly", "<none>", "False", 0L, "<none>", "5m12s"),
                cells("CronJob", fresh).subList(0, 7));
    }

    private static String jobStatus(String status) {
        return (String) cells("Job", "{" + METADATA + ", " + status + "}").get(1);
    }
}
