package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.scheduler.Scheduler;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerTest {

    @TempDir
    Path dir;
    ControllerHarness harness;

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir);
        harness.start(service -> new Scheduler(service, new EventRecorder(service, "default-scheduler")));
        harness.start(service -> new ReplicaSetController(service, ApiResources.of(ReplicaSet.class),
                new EventRecorder(service, "rs")));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private void node(String name, String cpu, String taint) {
        harness.create(Node.class, null, """
                {"metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}},
                 "spec":{%s},
                 "status":{"allocatable":{"cpu":"%s","memory":"8Gi","pods":"110"},
                  "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s"}]}}
                """.formatted(name, name, taint == null ? "" : "\"taints\":[{\"key\":\"" + taint + "\",\"effect\":\"NoSchedule\"}]",
                cpu, Instant.now()));
    }

    private ObjectNode pod(String name) {
        return harness.service.get(harness.pods, "default", name);
    }

    @Test
    void spreadsReplicasAndKeepsOffTheControlPlane() {
        node("a", "4", null);
        node("b", "4", null);
        node("c", "4", null);
        node("cp", "4", "node-role.kubernetes.io/control-plane");
        harness.create(ReplicaSet.class, "default", """
                {"metadata":{"name":"web"},"spec":{"replicas":6,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},
                  "spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","1000"]}]}}}}""");
        await("6 bound pods", () -> harness.activePods("default").stream()
                .filter(p -> Json.text(p, "spec", "nodeName") != null).count() == 6);
        Map<String, Integer> perNode = new HashMap<>();
        harness.activePods("default").forEach(p -> perNode.merge(Json.text(p, "spec", "nodeName"), 1, Integer::sum));
        assertEquals(Map.of("a", 2, "b", 2, "c", 2), perNode);
        ObjectNode any = harness.activePods("default").get(0);
        assertTrue(any.at("/status/conditions").toString().contains("\"type\":\"PodScheduled\",\"status\":\"True\""));
        await("6 Scheduled events", () -> harness.service.list(ApiResources.of(Event.class), "default",
                LabelSelector.EVERYTHING, FieldSelector.parse("reason=Scheduled")).items().size() == 6);
    }

    @Test
    void aPodThatFitsNowhereSaysWhyAndIsPlacedWhenANodeComes() {
        node("small", "1", null);
        node("cp", "8", "node-role.kubernetes.io/control-plane");
        harness.create(Pod.class, "default", """
                {"metadata":{"name":"big"},"spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","1"],
                 "resources":{"requests":{"cpu":"2"}}}]}}""");
        await("the Unschedulable condition", () -> pod("big").at("/status/conditions").toString().contains("Unschedulable"));
        String message = pod("big").at("/status/conditions/0/message").asText();
        assertEquals("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint "
                + "{node-role.kubernetes.io/control-plane: }.", message);
        node("large", "4", null);
        await("bound to the new node", () -> "large".equals(Json.text(pod("big"), "spec", "nodeName")));
    }

    @Test
    void honoursNodeSelectorAndHostPortsAndBindsOnce() {
        node("a", "4", null);
        node("b", "4", null);
        harness.create(Pod.class, "default", """
                {"metadata":{"name":"pinned"},"spec":{"nodeSelector":{"kubernetes.io/hostname":"b"},
                 "containers":[{"name":"c","image":"busybox","command":["sleep","1"],"ports":[{"containerPort":80,"hostPort":8080}]}]}}""");
        await("pinned bound", () -> "b".equals(Json.text(pod("pinned"), "spec", "nodeName")));
        harness.create(Pod.class, "default", """
                {"metadata":{"name":"second"},"spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","1"],
                 "ports":[{"containerPort":80,"hostPort":8080}]}]}}""");
        await("second bound", () -> Json.text(pod("second"), "spec", "nodeName") != null);
        assertEquals("a", Json.text(pod("second"), "spec", "nodeName"), "b's host port 8080 is taken");
        ApiException again = assertThrows(ApiException.class,
                () -> harness.service.bind(harness.pods, "default", "second", "b"));
        assertEquals(409, again.code());
        assertEquals("a", ObjectMetadata.name(harness.service.get(ApiResources.of(Node.class), null, "a")));
    }
}
