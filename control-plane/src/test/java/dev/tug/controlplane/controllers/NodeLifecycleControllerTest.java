package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.admission.Defaulting;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.scheduler.Scheduler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeLifecycleControllerTest {

    /** A short grace and short default tolerations (the server's flags), so nodes fail in seconds. */
    static final ControllerSettings SETTINGS =
            new ControllerSettings(Duration.ofSeconds(2), 2, 2, ControllerSettings.DEFAULT_CLUSTER_CIDR, 24);

    @TempDir
    Path dir;
    ControllerHarness harness;
    final ResourceType nodes = ApiResources.of(Node.class);
    /** Nodes whose "agent" heartbeats (every 500 ms here, every 10 s for real). */
    final Set<String> beating = ConcurrentHashMap.newKeySet();
    final ScheduledExecutorService agents = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir);
        Defaulting.configureDefaultTolerations(SETTINGS.notReadyTolerationSeconds(), SETTINGS.unreachableTolerationSeconds());
        harness.start(service -> new NodeLifecycleController(service, SETTINGS, new EventRecorder(service, "node-controller")));
        harness.start(service -> new ReplicaSetController(service, ApiResources.of(ReplicaSet.class), new EventRecorder(service, "rs")));
        harness.start(service -> new Scheduler(service, new EventRecorder(service, "default-scheduler")));
        agents.scheduleWithFixedDelay(() -> beating.forEach(this::heartbeat), 0, 500, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        agents.shutdownNow();
        agents.awaitTermination(5, TimeUnit.SECONDS);
        Defaulting.configureDefaultTolerations(300, 300);
        harness.close();
    }

    private void node(String name, boolean beats) {
        harness.create(Node.class, null, """
                {"metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s","kubernetes.io/os":"linux"}},
                 "status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},
                  "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"%s"}]}}
                """.formatted(name, name, Instant.now()));
        if (beats) {
            beating.add(name);
        }
    }

    /** What the agent does every 10 s: Ready=True with a fresh lastHeartbeatTime. */
    private void heartbeat(String name) {
        setReady(name, "True");
    }

    private void setReady(String name, String status) {
        harness.service.update(nodes, null, name, "status", RequestOptions.internal(), n -> {
            for (JsonNode c : n.at("/status/conditions")) {
                if (c.path("type").asText().equals("Ready")) {
                    ((ObjectNode) c).put("status", status).put("reason", status.equals("True") ? "KubeletReady" : "KubeletNotReady")
                            .put("lastHeartbeatTime", Instant.now().toString());
                }
            }
            return n;
        });
    }

    private void updateNode(String name, UnaryOperator<ObjectNode> change) {
        harness.service.update(nodes, null, name, null, RequestOptions.internal(), change::apply);
    }

    private ObjectNode node(String name) {
        return harness.service.get(nodes, null, name);
    }

    private static JsonNode condition(JsonNode object, String type) {
        for (JsonNode c : object.at("/status/conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return null;
    }

    private static boolean hasTaint(JsonNode node, String key, String effect) {
        for (JsonNode taint : node.at("/spec/taints")) {
            if (taint.path("key").asText().equals(key) && taint.path("effect").asText().equals(effect)) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode boundPod(String name, String node, String tolerations) {
        ObjectNode pod = harness.create(Pod.class, "default", """
                {"metadata":{"name":"%s"},"spec":{"nodeName":"%s","tolerations":[%s],
                 "containers":[{"name":"c","image":"busybox:1"}]}}""".formatted(name, node, tolerations));
        harness.markRunningAndReady(pod);
        return harness.service.get(harness.pods, "default", name);
    }

    private ObjectNode pod(String name) {
        return harness.service.get(harness.pods, "default", name);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSilentNodeTurnsUnknownIsTaintedUnreachableAndItsPodsTurnNotReady() {
        node("quiet", false);
        node("alive", true);
        boundPod("web", "quiet", "");
        harness.create(Node.class, null, "{\"metadata\":{\"name\":\"never\"}}");

        sleep(1000);
        assertEquals("True", condition(node("quiet"), "Ready").path("status").asText(), "within its grace period");
        await("quiet Unknown", () -> condition(node("quiet"), "Ready").path("status").asText().equals("Unknown"));
        JsonNode ready = condition(node("quiet"), "Ready");
        assertEquals("NodeStatusUnknown", ready.path("reason").asText());
        assertEquals("Kubelet stopped posting node status.", ready.path("message").asText());
        await("unreachable taints", () -> hasTaint(node("quiet"), "node.kubernetes.io/unreachable", "NoSchedule")
                && hasTaint(node("quiet"), "node.kubernetes.io/unreachable", "NoExecute"));
        for (JsonNode taint : node("quiet").at("/spec/taints")) {
            assertEquals(taint.path("effect").asText().equals("NoExecute"), taint.has("timeAdded"), taint.toString());
        }
        await("the pod not ready", () -> !Pods.ready(pod("web")));
        await("NodeNotReady event", () -> harness.events("default", "NodeNotReady").stream()
                .anyMatch(e -> e.at("/involvedObject/kind").asText().equals("Node")
                        && e.path("message").asText().equals("Node quiet status is now: NodeNotReady")));

        await("a node that never reported turns Unknown too", () -> condition(node("never"), "Ready") != null);
        assertEquals("NodeStatusNeverUpdated", condition(node("never"), "Ready").path("reason").asText());

        assertEquals("True", condition(node("alive"), "Ready").path("status").asText());
        assertTrue(node("alive").at("/spec/taints").isMissingNode() || node("alive").at("/spec/taints").isEmpty(),
                node("alive").toString());
    }

    @Test
    void aNodeReportingNotReadyIsTaintedNotReadyUntilItIsReadyAgain() {
        node("sick", true);
        beating.remove("sick");
        setReady("sick", "False");
        await("not-ready taint", () -> hasTaint(node("sick"), "node.kubernetes.io/not-ready", "NoExecute")
                && hasTaint(node("sick"), "node.kubernetes.io/not-ready", "NoSchedule"));
        assertFalse(hasTaint(node("sick"), "node.kubernetes.io/unreachable", "NoExecute"), "it still reports");
        heartbeat("sick");
        await("untainted", () -> node("sick").at("/spec/taints").isMissingNode() || node("sick").at("/spec/taints").isEmpty());
    }

    @Test
    void podsOfAnUnreachableNodeAreEvictedWhenTheirTolerationRunsOutAndReplacedElsewhere() {
        node("a", true);
        node("b", true);
        harness.create(ReplicaSet.class, "default", """
                {"metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},
                  "spec":{"containers":[{"name":"c","image":"busybox:1"}]}}}}""");
        await("one pod per node", () -> harness.activePods("default").stream()
                .map(p -> Json.text(p, "spec", "nodeName")).filter(n -> n != null).distinct().count() == 2);
        ObjectNode onB = harness.activePods("default").stream().filter(p -> "b".equals(Json.text(p, "spec", "nodeName")))
                .findFirst().orElseThrow();
        assertTrue(onB.at("/spec/tolerations").toString().contains(
                "{\"effect\":\"NoExecute\",\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"tolerationSeconds\":2}"),
                "DefaultTolerationSeconds from the settings: " + onB.at("/spec/tolerations"));

        beating.remove("b");
        await("b unreachable", () -> hasTaint(node("b"), "node.kubernetes.io/unreachable", "NoExecute"));
        await("b's pod evicted", () -> ObjectMetadata.deleting(pod(ObjectMetadata.name(onB))));
        ObjectNode evicted = pod(ObjectMetadata.name(onB));
        Instant tainted = Instant.parse(node("b").at("/spec/taints").findValue("timeAdded").asText());
        Instant deleted = Instant.parse(evicted.at("/metadata/deletionTimestamp").asText());
        assertTrue(!deleted.isBefore(tainted.plusSeconds(2)), "it tolerated the taint for 2 s: " + tainted + " " + deleted);
        await("TaintManagerEviction", () -> harness.events("default", "TaintManagerEviction").stream().anyMatch(e ->
                e.path("message").asText().equals("Marking for deletion Pod default/" + ObjectMetadata.name(onB))));

        await("the replacement on a", () -> harness.activePods("default").size() == 2
                && harness.activePods("default").stream().allMatch(p -> "a".equals(Json.text(p, "spec", "nodeName"))));
        sleep(500);
        assertTrue(ObjectMetadata.deleting(pod(ObjectMetadata.name(onB))), "Terminating until b's agent confirms");

        beating.add("b");
        await("b untainted", () -> !hasTaint(node("b"), "node.kubernetes.io/unreachable", "NoExecute"));
        sleep(500);
        assertTrue(harness.activePods("default").stream().allMatch(p -> "a".equals(Json.text(p, "spec", "nodeName"))),
                "nothing moves back");
        assertEquals(2, harness.activePods("default").size());
    }

    @Test
    void aNoExecuteTaintEvictsAtOnceAfterTolerationSecondsOrNever() {
        node("a", true);
        updateNode("a", n -> {
            n.with("spec").withArray("taints").addObject().put("key", "dedicated").put("value", "infra").put("effect", "NoExecute");
            return n;
        });
        await("timeAdded given", () -> node("a").at("/spec/taints/0/timeAdded").isTextual());
        boundPod("brief", "a", "{\"key\":\"dedicated\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":2}");
        boundPod("forever", "a", "{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"infra\",\"effect\":\"NoExecute\"}");
        harness.create(Pod.class, "default", """
                {"metadata":{"name":"intolerant"},"spec":{"nodeName":"a","containers":[{"name":"c","image":"busybox:1"}]}}""");
        await("the intolerant pod evicted", () -> ObjectMetadata.deleting(pod("intolerant")));
        assertFalse(ObjectMetadata.deleting(pod("brief")), "it tolerates the taint for 2 s");
        await("the brief pod evicted", () -> ObjectMetadata.deleting(pod("brief")));
        Duration tolerated = Duration.between(Instant.parse(pod("brief").at("/metadata/creationTimestamp").asText()),
                Instant.parse(pod("brief").at("/metadata/deletionTimestamp").asText()));
        assertTrue(tolerated.getSeconds() >= 2, "counted from when the pod came, the taint being older: " + tolerated);
        sleep(500);
        assertFalse(ObjectMetadata.deleting(pod("forever")));
    }

    @Test
    void cordonAndPressureBecomeNoScheduleTaints() {
        node("a", true);
        updateNode("a", n -> {
            n.with("spec").put("unschedulable", true);
            return n;
        });
        await("unschedulable taint", () -> hasTaint(node("a"), "node.kubernetes.io/unschedulable", "NoSchedule"));
        harness.service.update(nodes, null, "a", "status", RequestOptions.internal(), n -> {
            n.with("status").withArray("conditions").addObject().put("type", "MemoryPressure").put("status", "True");
            return n;
        });
        await("memory-pressure taint", () -> hasTaint(node("a"), "node.kubernetes.io/memory-pressure", "NoSchedule"));
        updateNode("a", n -> {
            n.with("spec").put("unschedulable", false);
            return n;
        });
        await("uncordoned", () -> !hasTaint(node("a"), "node.kubernetes.io/unschedulable", "NoSchedule"));
        assertTrue(hasTaint(node("a"), "node.kubernetes.io/memory-pressure", "NoSchedule"));
    }

    @Test
    void theControllerManagerHandsTheTolerationSettingsToAdmission() throws Exception {
        ControllerSettings settings = new ControllerSettings(Duration.ofSeconds(40), 7, 9, ControllerSettings.DEFAULT_CLUSTER_CIDR, 24);
        try (ControllerManager manager = ControllerManager.start(harness.service, settings)) {
            ObjectNode pod = harness.create(Pod.class, "default", """
                    {"metadata":{"name":"p"},"spec":{"tolerations":[
                      {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}],
                     "containers":[{"name":"c","image":"busybox:1"}]}}""");
            List<String> tolerations = List.of(pod.at("/spec/tolerations").toString());
            assertTrue(tolerations.get(0).contains("\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"tolerationSeconds\":7"),
                    tolerations.get(0));
            assertTrue(tolerations.get(0).contains("\"tolerationSeconds\":60"), "the pod's own toleration is kept");
            assertFalse(tolerations.get(0).contains("\"tolerationSeconds\":9"), "and not doubled");
        }
    }

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes());
    }

    @Test
    void evictionTimeFollowsTheFirstMatchingTolerationAndTheShortestTime() {
        Instant added = Instant.parse("2030-01-01T00:00:00Z");
        Instant now = added.plusSeconds(1);
        List<JsonNode> taints = List.of(
                json("{\"key\":\"a\",\"effect\":\"NoExecute\",\"timeAdded\":\"" + added + "\"}"),
                json("{\"key\":\"b\",\"effect\":\"NoExecute\",\"timeAdded\":\"" + added + "\"}"));
        ObjectNode pod = json("""
                {"metadata":{"creationTimestamp":"2029-01-01T00:00:00Z"},"spec":{"tolerations":[
                  {"key":"a","operator":"Exists","effect":"NoExecute","tolerationSeconds":10},
                  {"key":"b","operator":"Exists","effect":"NoExecute","tolerationSeconds":3},
                  {"operator":"Exists"}]}}""");
        assertEquals(added.plusSeconds(3), TaintEviction.due(pod, taints, now), "the shortest of the tolerations used");
        assertEquals(now, TaintEviction.due(json("{\"spec\":{}}"), taints, now), "not tolerated: at once");
        ObjectNode forever = json("{\"spec\":{\"tolerations\":[{\"operator\":\"Exists\"}]}}");
        assertEquals(null, TaintEviction.due(forever, taints, now));
        ObjectNode late = json("""
                {"metadata":{"creationTimestamp":"2030-01-01T00:01:00Z"},"spec":{"tolerations":[{"operator":"Exists","effect":"NoExecute","tolerationSeconds":5}]}}""");
        assertEquals(Instant.parse("2030-01-01T00:01:05Z"), TaintEviction.due(late, taints, now), "a pod newer than the taint gets its full time");
    }

    @Test
    void conditionTaintsSwapNotReadyForUnreachableAndLeaveOtherTaintsAlone() {
        ObjectNode node = json("""
                {"spec":{"taints":[{"key":"dedicated","effect":"NoSchedule"},
                  {"key":"node.kubernetes.io/not-ready","effect":"NoExecute","timeAdded":"2030-01-01T00:00:00Z"},
                  {"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"}]},
                 "status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}""");
        Instant now = Instant.parse("2030-01-01T00:05:00Z");
        assertTrue(NodeConditionTaints.apply(node, now));
        assertEquals("""
                [{"key":"dedicated","effect":"NoSchedule"},\
                {"key":"node.kubernetes.io/unreachable","effect":"NoSchedule"},\
                {"key":"node.kubernetes.io/unreachable","effect":"NoExecute","timeAdded":"2030-01-01T00:05:00Z"}]""",
                node.at("/spec/taints").toString());
        assertFalse(NodeConditionTaints.apply(node, now.plusSeconds(5)), "applying twice changes nothing");
    }
}
