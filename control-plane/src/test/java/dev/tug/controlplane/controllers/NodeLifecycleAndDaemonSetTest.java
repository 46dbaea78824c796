package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.admission.Defaulting;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.scheduler.Scheduler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeLifecycleAndDaemonSetTest {

    @TempDir
    Path dir;
    ControllerHarness harness;
    final ResourceType nodes = ApiResources.of(Node.class);

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir);
        // pods tolerate an unreachable node for 1 s instead of 5 minutes (the server's flags)
        Defaulting.configureDefaultTolerations(1, 1);
        ControllerSettings settings = new ControllerSettings(Duration.ofSeconds(2), 1, 1, ControllerSettings.DEFAULT_CLUSTER_CIDR, 24);
        harness.start(service -> new NodeLifecycleController(service, settings, new EventRecorder(service, "node-controller")));
        harness.start(service -> new DaemonSetController(service, new EventRecorder(service, "daemonset-controller")));
        harness.start(service -> new ReplicaSetController(service, ApiResources.of(ReplicaSet.class), new EventRecorder(service, "rs")));
        harness.start(service -> new Scheduler(service, new EventRecorder(service, "default-scheduler")));
        harness.start(service -> new NodeIpamController(service, settings));
    }

    @AfterEach
    void stop() throws Exception {
        Defaulting.configureDefaultTolerations(300, 300);
        harness.close();
    }

    private void node(String name, String taint) {
        harness.create(Node.class, null, """
                {"metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}},"spec":{%s},
                 "status":{"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},
                  "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s"}]}}
                """.formatted(name, name, taint == null ? "" : "\"taints\":[{\"key\":\"" + taint + "\",\"effect\":\"NoSchedule\"}]",
                Instant.now()));
    }

    private void heartbeat(String name) {
        harness.service.update(nodes, null, name, "status", RequestOptions.internal(), n -> {
            ObjectNode ready = (ObjectNode) n.at("/status/conditions/0");
            ready.put("status", "True").put("lastHeartbeatTime", Instant.now().toString());
            return n;
        });
    }

    private ObjectNode node(String name) {
        return harness.service.get(nodes, null, name);
    }

    @Test
    void daemonsLandOnEveryEligibleNodeAndNewNodesGetOne() {
        node("a", null);
        node("cp", "node-role.kubernetes.io/control-plane");
        harness.create(DaemonSet.class, "default", """
                {"metadata":{"name":"agent"},"spec":{"selector":{"matchLabels":{"app":"agent"}},
                 "template":{"metadata":{"labels":{"app":"agent"}},
                  "spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","1000"]}]}}}}""");
        await("a daemon on a", () -> harness.activePods("default").size() == 1);
        assertEquals("a", Json.text(harness.activePods("default").get(0), "spec", "nodeName"));
        assertTrue(harness.activePods("default").get(0).at("/spec/tolerations").toString().contains("node.kubernetes.io/unreachable"));
        node("b", null);
        heartbeat("a");
        await("a daemon on b", () -> harness.activePods("default").stream()
                .map(p -> Json.text(p, "spec", "nodeName")).collect(Collectors.toSet()).equals(Set.of("a", "b")));
        assertTrue(node("a").at("/spec/podCIDR").asText().matches("127\\.(128|129)\\.\\d+\\.0/24"), node("a").toString());
        assertTrue(!node("a").at("/spec/podCIDR").asText().equals(node("b").at("/spec/podCIDR").asText()));
        harness.runAll("default");
        await("status", () -> harness.service.get(ApiResources.of(DaemonSet.class), "default", "agent")
                .at("/status/numberAvailable").asInt() == 2);
    }

    @Test
    void aSilentNodeTurnsUnknownItsPodsAreEvictedAndReplacedAndNothingMovesBack() {
        node("a", null);
        node("b", null);
        harness.create(ReplicaSet.class, "default", """
                {"metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},
                  "spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","1000"]}]}}}}""");
        await("one pod per node", () -> harness.activePods("default").stream()
                .map(p -> Json.text(p, "spec", "nodeName")).filter(n -> n != null).distinct().count() == 2);
        // a keeps beating, b falls silent
        await("b Unknown", Duration.ofSeconds(10), () -> {
            heartbeat("a");
            return node("b").at("/status/conditions/0/status").asText().equals("Unknown");
        });
        await("b tainted", () -> node("b").at("/spec/taints").toString().contains("node.kubernetes.io/unreachable"));
        await("both replicas on a", Duration.ofSeconds(10), () -> {
            heartbeat("a");
            return harness.activePods("default").stream().allMatch(p -> "a".equals(Json.text(p, "spec", "nodeName")))
                    && harness.activePods("default").size() == 2;
        });
        assertTrue(harness.pods("default").stream().anyMatch(p -> ObjectMetadata.deleting(p)
                && "b".equals(Json.text(p, "spec", "nodeName"))), "b's pod waits for its agent, Terminating: " + harness.pods("default"));
        heartbeat("b");
        await("b untainted", () -> !node("b").at("/spec/taints").toString().contains("unreachable"));
        assertTrue(harness.activePods("default").stream().allMatch(p -> "a".equals(Json.text(p, "spec", "nodeName"))));
    }
}
