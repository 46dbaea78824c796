package dev.tug.cli;

import static dev.tug.cli.WorkloadCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes walkthroughs' workloads on {@code tug server} plus two {@code tug agent}
 * processes with the process runtime, driven by the real kubectl.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static WorkloadCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new WorkloadCluster(dir, "--node-monitor-grace-period", "5s",
                "--default-unreachable-toleration-seconds", "3", "--default-not-ready-toleration-seconds", "3");
        cluster.startAgent("node-1", "127.0.0.11");
        cluster.startAgent("node-2", "127.0.0.12");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonNode json(String... args) {
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("-o", "json"));
            return JSON.readTree(cluster.kubectl(all.toArray(String[]::new)));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<JsonNode> pods(String namespace, String selector) {
        List<JsonNode> pods = new ArrayList<>();
        json("get", "pods", "-n", namespace, "-l", selector).path("items").forEach(pods::add);
        return pods;
    }

    private static long runningReady(String namespace, String selector) {
        return pods(namespace, selector).stream().filter(p -> p.path("metadata").path("deletionTimestamp").isMissingNode())
                .filter(WorkloadsIT::ready).count();
    }

    private static boolean ready(JsonNode pod) {
        return hasCondition(pod, "Ready", "True");
    }

    private static boolean hasCondition(JsonNode object, String type, String status) {
        for (JsonNode condition : object.at("/status/conditions")) {
            if (condition.path("type").asText().equals(type) && condition.path("status").asText().equals(status)) {
                return true;
            }
        }
        return false;
    }

    private static String namespace(String name) {
        cluster.kubectl("create", "namespace", name);
        return name;
    }

    private static String deployment(String namespace, int replicas, String version) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %s}
                spec:
                  replicas: %d
                  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 2
                      containers:
                      - name: web
                        image: example/web:%s
                        command: ["python3", "-m", "http.server", "--bind", "$(POD_IP)", "8080"]
                        env: [{name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]
                        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
                """.formatted(namespace, replicas, version);
    }

    @Test
    @Order(1)
    void deploymentScalesRollsAndRollsBack() throws Exception {
        String ns = namespace("rollout");
        cluster.apply(deployment(ns, 2, "v1"));
        cluster.kubectl("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");
        assertEquals(2, runningReady(ns, "app=web"));

        cluster.kubectl("scale", "deployment/web", "-n", ns, "--replicas=5");
        await("5 ready replicas", WAIT, () -> runningReady(ns, "app=web") == 5);
        Set<String> nodes = new HashSet<>();
        pods(ns, "app=web").forEach(p -> nodes.add(p.at("/spec/nodeName").asText()));
        assertEquals(Set.of("node-1", "node-2"), nodes, "replicas spread over both nodes");
        cluster.kubectl("scale", "deployment/web", "-n", ns, "--replicas=3");
        await("3 replicas", WAIT, () -> pods(ns, "app=web").stream()
                .filter(p -> p.at("/metadata/deletionTimestamp").isMissingNode()).count() == 3);

        // set image rolls with at most maxSurge (1) pods over the 3 replicas at any time
        AtomicInteger most = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long live = pods(ns, "app=web").stream().filter(p -> !p.at("/status/phase").asText().equals("Succeeded")
                            && p.at("/metadata/deletionTimestamp").isMissingNode()).count();
                    most.accumulateAndGet((int) live, Math::max);
                } catch (RuntimeException | AssertionError e) {
                    return;
                }
            }
        });
        sampler.start();
        cluster.kubectl("set", "image", "deployment/web", "-n", ns, "web=example/web:v2");
        cluster.kubectl("rollout", "status", "deployment/web", "-n", ns, "--timeout=120s");
        sampler.interrupt();
        sampler.join();
        assertTrue(most.get() <= 4, "at most replicas + maxSurge pods at once, saw " + most.get());
        assertTrue(pods(ns, "app=web").stream().allMatch(p -> p.at("/spec/containers/0/image").asText().endsWith(":v2")
                || !p.at("/metadata/deletionTimestamp").isMissingNode()));
        String history = cluster.kubectl("rollout", "history", "deployment/web", "-n", ns);
        assertTrue(history.contains("1 ") && history.contains("2 "), history);

        cluster.kubectl("rollout", "undo", "deployment/web", "-n", ns);
        cluster.kubectl("rollout", "status", "deployment/web", "-n", ns, "--timeout=120s");
        assertEquals("example/web:v1", json("get", "deployment/web", "-n", ns).at("/spec/template/spec/containers/0/image").asText());
        assertEquals("3", json("get", "deployment/web", "-n", ns).at("/metadata/annotations/deployment.kubernetes.io~1revision").asText());
        assertTrue(cluster.kubectl("describe", "deployment/web", "-n", ns).contains("ScalingReplicaSet"));
    }

    @Test
    @Order(2)
    void daemonSetRunsOnePodPerNode() throws Exception {
        String ns = namespace("daemons");
        cluster.apply("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: %s}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers: [{name: agent, image: example/agent, command: ["sleep", "3600"]}]
                """.formatted(ns));
        cluster.kubectl("rollout", "status", "daemonset/agent", "-n", ns, "--timeout=90s");
        List<JsonNode> pods = pods(ns, "app=agent");
        assertEquals(2, pods.size());
        Set<String> nodes = new HashSet<>();
        pods.forEach(p -> nodes.add(p.at("/spec/nodeName").asText()));
        assertEquals(Set.of("node-1", "node-2"), nodes);
    }

    @Test
    @Order(3)
    void jobRunsSixCompletionsTwoAtATime() throws Exception {
        String ns = namespace("jobs");
        cluster.apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: six, namespace: %s}
                spec:
                  completions: 6
                  parallelism: 2
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: work, image: example/work, command: ["sh", "-c", "echo working; sleep 1"]}]
                """.formatted(ns));
        AtomicInteger most = new AtomicInteger();
        await("the job to complete", WAIT, () -> {
            JsonNode job = json("get", "job/six", "-n", ns);
            most.accumulateAndGet(job.at("/status/active").asInt(), Math::max);
            return job.at("/status/succeeded").asInt() == 6;
        });
        assertTrue(most.get() <= 2, "parallelism 2, saw " + most.get() + " active");
        assertTrue(hasCondition(json("get", "job/six", "-n", ns), "Complete", "True"));
        List<JsonNode> pods = pods(ns, "job-name=six");
        assertEquals(6, pods.size(), "completed pods are kept");
        assertTrue(pods.stream().allMatch(p -> p.at("/status/phase").asText().equals("Succeeded")));
        assertEquals("working\n", cluster.kubectl("logs", pods.get(0).at("/metadata/name").asText(), "-n", ns));
    }

    @Test
    @Order(4)
    void failingJobsBehaveAsKubernetes() throws Exception {
        String ns = namespace("failing");
        String job = """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: %s, namespace: %s}
                spec:
                  backoffLimit: 1
                  template:
                    spec:
                      restartPolicy: %s
                      containers: [{name: fail, image: example/fail, command: ["sh", "-c", "echo failing; exit 2"]}]
                """;
        cluster.apply(job.formatted("never", ns, "Never"));
        cluster.apply(job.formatted("onfailure", ns, "OnFailure"));
        for (String name : List.of("never", "onfailure")) {
            await(name + " to fail", WAIT, () -> json("get", "job/" + name, "-n", ns).at("/status/conditions").toString()
                    .contains("BackoffLimitExceeded"));
        }
        List<JsonNode> never = pods(ns, "job-name=never");
        assertEquals(2, never.size(), "Never: a new pod per failure, failed pods kept");
        assertTrue(never.stream().allMatch(p -> p.at("/status/phase").asText().equals("Failed")));
        assertEquals(2, never.get(0).at("/status/containerStatuses/0/state/terminated/exitCode").asInt());
        await("the OnFailure pod to be removed", WAIT, () -> pods(ns, "job-name=onfailure").stream()
                .allMatch(p -> !p.at("/metadata/deletionTimestamp").isMissingNode()) || pods(ns, "job-name=onfailure").isEmpty());
    }

    @Test
    @Order(5)
    void livenessFailureRestartsTheContainerAndLogsStream() throws Exception {
        String ns = namespace("probes");
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: flaky, namespace: %s}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: app
                    image: example/flaky
                    command: ["sh", "-c", "echo started; touch $(HEALTH); sleep 2; rm $(HEALTH); sleep 3600"]
                    env: [{name: HEALTH, value: "%s"}]
                    livenessProbe: {exec: {command: ["test", "-e", "%s"]}, periodSeconds: 1, failureThreshold: 1}
                """.formatted(ns, dir.resolve("healthy"), dir.resolve("healthy")));
        await("a restart", WAIT, () -> json("get", "pod/flaky", "-n", ns).at("/status/containerStatuses/0/restartCount").asInt() >= 1);
        assertTrue(cluster.kubectl("describe", "pod/flaky", "-n", ns).contains("failed liveness probe, will be restarted"));
        assertEquals("started\n", cluster.kubectl("logs", "flaky", "-n", ns, "--previous"));
        assertTrue(cluster.kubectl("logs", "flaky", "-n", ns, "-c", "app").startsWith("started"));

        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: counter, namespace: %s}
                spec:
                  restartPolicy: Never
                  containers: [{name: count, image: example/count, command: ["sh", "-c", "for i in 1 2 3; do echo $i; sleep 1; done"]}]
                """.formatted(ns));
        await("counter running", WAIT, () -> json("get", "pod/counter", "-n", ns).at("/status/phase").asText().equals("Running"));
        // -f streams while the container runs and ends with it
        assertEquals("1\n2\n3\n", cluster.kubectl("logs", "-f", "counter", "-n", ns));
    }

    @Test
    @Order(6)
    void anAgentRestartAdoptsThePodsItLeftRunning() throws Exception {
        String ns = namespace("adopt");
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: steady, namespace: %s}
                spec:
                  nodeSelector: {kubernetes.io/hostname: node-1}
                  terminationGracePeriodSeconds: 1
                  containers: [{name: app, image: example/steady, command: ["sleep", "3600"]}]
                """.formatted(ns));
        await("steady ready", WAIT, () -> json("get", "pod/steady", "-n", ns).at("/status/containerStatuses/0/ready").asBoolean());
        String before = json("get", "pod/steady", "-n", ns).at("/status/containerStatuses/0/containerID").asText();
        String token = json("get", "node/node-1").at("/metadata/annotations/tug.dev~1agent-token").asText();

        cluster.killAgent("node-1");
        cluster.startAgent("node-1", "127.0.0.11");
        await("the new agent", WAIT, () -> !json("get", "node/node-1").at("/metadata/annotations/tug.dev~1agent-token")
                .asText().equals(token));
        Thread.sleep(3000); // a few pod-worker rounds of the new agent
        JsonNode after = json("get", "pod/steady", "-n", ns);
        assertEquals(before, after.at("/status/containerStatuses/0/containerID").asText(), "the same process, adopted");
        assertEquals(0, after.at("/status/containerStatuses/0/restartCount").asInt());
        assertTrue(after.at("/status/containerStatuses/0/ready").asBoolean(), after.path("status").toString());
    }

    @Test
    @Order(10)
    void aDeadNodesPodsMoveToTheOtherNodeAndStayThere() throws Exception {
        String ns = namespace("failover");
        cluster.apply(deployment(ns, 4, "v1"));
        cluster.kubectl("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");
        assertTrue(pods(ns, "app=web").stream().anyMatch(p -> p.at("/spec/nodeName").asText().equals("node-2")));

        cluster.killAgent("node-2");
        await("node-2 NotReady", WAIT, () -> cluster.kubectlOk("get", "node", "node-2", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").equals("Unknown"));
        await("4 ready replicas on node-1", WAIT, () -> pods(ns, "app=web").stream()
                .filter(p -> p.at("/metadata/deletionTimestamp").isMissingNode())
                .filter(p -> p.at("/spec/nodeName").asText().equals("node-1")).count() == 4
                && runningReady(ns, "app=web") == 4);

        cluster.startAgent("node-2", "127.0.0.12");
        await("the old pods removed for good", WAIT, () -> pods(ns, "app=web").size() == 4);
        assertTrue(pods(ns, "app=web").stream().allMatch(p -> p.at("/spec/nodeName").asText().equals("node-1")),
                "nothing moves back");
    }
}
