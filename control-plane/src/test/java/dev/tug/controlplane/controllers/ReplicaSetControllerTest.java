package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaSetControllerTest {

    @TempDir
    Path dir;
    ControllerHarness harness;
    final ResourceType replicaSets = ApiResources.of(ReplicaSet.class);

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir);
        harness.start(service -> new ReplicaSetController(service, replicaSets, new EventRecorder(service, "rs")));
        harness.start(service -> new ReplicaSetController(service, ApiResources.of(ReplicationController.class),
                new EventRecorder(service, "rc")));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private void createSet(String name, int replicas) {
        harness.create(ReplicaSet.class, "default", """
                {"metadata":{"name":"%s"},"spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
                 "template":{"metadata":{"labels":{"app":"%s"}},
                  "spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","1000"]}]}}}}
                """.formatted(name, replicas, name, name));
    }

    private ObjectNode set(String name) {
        return harness.service.get(replicaSets, "default", name);
    }

    private void scale(String name, int replicas) {
        harness.service.update(replicaSets, "default", name, null, RequestOptions.internal(), rs -> {
            rs.with("spec").put("replicas", replicas);
            return rs;
        });
    }

    @Test
    void keepsTheCountAndReportsReadiness() {
        createSet("web", 3);
        await("3 pods", () -> harness.activePods("default").size() == 3);
        ObjectNode pod = harness.activePods("default").get(0);
        assertTrue(ObjectMetadata.name(pod).startsWith("web-"));
        assertEquals("ReplicaSet", pod.at("/metadata/ownerReferences/0/kind").asText());
        assertEquals(ObjectMetadata.uid(set("web")), pod.at("/metadata/ownerReferences/0/uid").asText());

        harness.runAll("default");
        await("3 ready", () -> set("web").at("/status/readyReplicas").asInt() == 3
                && set("web").at("/status/availableReplicas").asInt() == 3);

        harness.service.delete(harness.pods, "default", ObjectMetadata.name(pod), DeleteOptions.background());
        await("a replacement", () -> harness.activePods("default").size() == 3
                && harness.activePods("default").stream().noneMatch(p -> ObjectMetadata.name(p).equals(ObjectMetadata.name(pod))));
        assertEquals(3, set("web").at("/status/replicas").asInt());
    }

    @Test
    void scalesDownNotReadyPodsFirst() {
        createSet("web", 3);
        await("3 pods", () -> harness.activePods("default").size() == 3);
        var pods = harness.activePods("default");
        harness.markRunningAndReady(pods.get(0));
        harness.markRunningAndReady(pods.get(1));
        scale("web", 2);
        await("2 pods", () -> harness.activePods("default").size() == 2);
        var left = harness.activePods("default").stream().map(ObjectMetadata::name).toList();
        assertTrue(left.contains(ObjectMetadata.name(pods.get(0))) && left.contains(ObjectMetadata.name(pods.get(1))), left.toString());
        // the event is written right after the delete: wait for it rather than race it
        var events = ControllerHarness.awaitValue("the delete event", () -> {
            var found = harness.service.list(ApiResources.of(Event.class), "default", LabelSelector.EVERYTHING,
                    FieldSelector.parse("reason=SuccessfulDelete")).items();
            return found.isEmpty() ? null : found;
        });
        assertEquals(1, events.size());
        assertEquals("Deleted pod: " + ObjectMetadata.name(pods.get(2)), events.get(0).path("message").asText());
    }

    @Test
    void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
        harness.create(Pod.class, "default", """
                {"metadata":{"name":"stray","labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","1000"]}]}}""");
        createSet("web", 2);
        await("2 pods", () -> harness.activePods("default").size() == 2);
        ObjectNode stray = harness.service.get(harness.pods, "default", "stray");
        assertEquals(ObjectMetadata.uid(set("web")), stray.at("/metadata/ownerReferences/0/uid").asText());

        harness.service.update(harness.pods, "default", "stray", null, RequestOptions.internal(), p -> {
            Json.metadata(p).with("labels").put("app", "debug");
            return p;
        });
        await("released and replaced", () -> harness.activePods("default").size() == 3
                && !harness.service.get(harness.pods, "default", "stray").at("/metadata/ownerReferences").isArray());
    }

    @Test
    void replicationControllersToo() {
        harness.create(ReplicationController.class, "default", """
                {"metadata":{"name":"rc"},"spec":{"replicas":2,"selector":{"app":"rc"},
                 "template":{"metadata":{"labels":{"app":"rc"}},
                  "spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","1000"]}]}}}}""");
        await("2 pods", () -> harness.activePods("default").size() == 2);
        assertEquals("ReplicationController", harness.activePods("default").get(0).at("/metadata/ownerReferences/0/kind").asText());
    }
}
