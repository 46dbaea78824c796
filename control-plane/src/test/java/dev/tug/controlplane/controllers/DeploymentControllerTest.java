package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeploymentControllerTest {

    @TempDir
    Path dir;
    ControllerHarness harness;
    final ResourceType deployments = ApiResources.of(Deployment.class);
    final ResourceType replicaSets = ApiResources.of(ReplicaSet.class);

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir);
        harness.start(service -> new DeploymentController(service, new EventRecorder(service, "deployment-controller")));
    }

    /** Most tests want pods; the surge test plays the replica set controller itself. */
    private void startReplicaSetController() {
        harness.start(service -> new ReplicaSetController(service, replicaSets, new EventRecorder(service, "rs")));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private void create(String strategy) {
        harness.create(Deployment.class, "default", """
                {"metadata":{"name":"web"},"spec":{"replicas":3,"revisionHistoryLimit":1,"strategy":%s,
                 "selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},
                  "spec":{"containers":[{"name":"web","image":"web:v1","command":["sleep","1000"]}]}}}}
                """.formatted(strategy));
    }

    private ObjectNode deployment() {
        return harness.service.get(deployments, "default", "web");
    }

    private List<ObjectNode> sets() {
        return harness.service.list(replicaSets, "default", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items();
    }

    private void change(java.util.function.Consumer<ObjectNode> edit) {
        harness.service.update(deployments, "default", "web", null, RequestOptions.internal(), d -> {
            edit.accept(d);
            return d;
        });
    }

    private boolean rolledOut(int replicas) {
        ObjectNode d = deployment();
        return d.at("/status/observedGeneration").asLong() >= d.at("/metadata/generation").asLong()
                && d.at("/status/updatedReplicas").asInt() == replicas && d.at("/status/replicas").asInt() == replicas
                && d.at("/status/availableReplicas").asInt() == replicas;
    }

    /** Plays the kubelet until the rollout is done, checking the pod count never passes {@code most}. */
    private void runUntilRolledOut(int replicas, int most) {
        await("rollout of " + replicas, Duration.ofSeconds(20), () -> {
            int live = harness.activePods("default").size();
            assertTrue(live <= most, "saw " + live + " pods, at most " + most + " allowed");
            harness.runAll("default");
            harness.finishDeletions("default");
            return rolledOut(replicas);
        });
    }

    @Test
    void rollsOutScalesRollsAndRollsBack() {
        startReplicaSetController();
        create("{\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}");
        runUntilRolledOut(3, 3);
        ObjectNode first = sets().get(0);
        String hash = ObjectMetadata.labels(first).get(PodTemplateHash.LABEL);
        assertEquals("web-" + hash, ObjectMetadata.name(first));
        assertEquals("1", Json.text(deployment(), "metadata", "annotations", DeploymentController.REVISION));
        assertTrue(deployment().at("/status/conditions").toString().contains("NewReplicaSetAvailable"));

        change(d -> d.with("spec").put("replicas", 5));
        runUntilRolledOut(5, 5);
        change(d -> d.with("spec").put("replicas", 3));
        runUntilRolledOut(3, 5);

        change(d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", "web:v2"));
        runUntilRolledOut(3, 4);
        assertEquals("2", Json.text(deployment(), "metadata", "annotations", DeploymentController.REVISION));
        assertEquals(2, sets().size());
        assertTrue(harness.activePods("default").stream().allMatch(p -> p.at("/spec/containers/0/image").asText().equals("web:v2")));

        // what kubectl rollout undo does: the old set's template, without its hash label, back on the deployment
        ObjectNode old = sets().stream().filter(rs -> DeploymentController.revision(rs) == 1).findFirst().orElseThrow();
        change(d -> d.with("spec").set("template", PodTemplateHash.withoutHash(old.path("spec").path("template"))));
        runUntilRolledOut(3, 4);
        ObjectNode reused = harness.service.get(replicaSets, "default", ObjectMetadata.name(old));
        assertEquals(3, DeploymentController.revision(reused));
        assertEquals("1", Json.text(reused, "metadata", "annotations", DeploymentController.REVISION_HISTORY));
        assertEquals("3", Json.text(deployment(), "metadata", "annotations", DeploymentController.REVISION));
    }

    /**
     * The replica set controller may grow the new set before it removed the pod of an old set
     * just scaled down (one worker, keys in queue order); the new set grows only once the old
     * set's status shows that pod gone, so the pods never pass replicas + maxSurge.
     */
    @Test
    void surgeCountsPodsAnOldSetStillHas() throws InterruptedException {
        create("{\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}");
        ObjectNode first = ControllerHarness.awaitValue("the first set", () -> sets().stream().findFirst().orElse(null));
        assertEquals(3, first.at("/spec/replicas").asInt());
        reportPods(first, 3);
        change(d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", "web:v2"));
        ObjectNode second = ControllerHarness.awaitValue("the new set", () -> sets().stream()
                .filter(rs -> !ObjectMetadata.name(rs).equals(ObjectMetadata.name(first))).findFirst().orElse(null));
        assertEquals(1, second.at("/spec/replicas").asInt(), "the new set starts at maxSurge");
        reportPods(second, 1);
        await("the old set scaled down to 2", () -> replicas(first) == 2);
        // its status still counts 3 pods: growing the new set now would run 5
        Thread.sleep(500);
        assertEquals(1, replicas(second), "the new set waits for the old set's pod to go");
        reportPods(first, 2);
        await("the new set scaled up to 2", () -> replicas(second) == 2);
    }

    private int replicas(ObjectNode rs) {
        return harness.service.get(replicaSets, "default", ObjectMetadata.name(rs)).at("/spec/replicas").asInt();
    }

    /** What the replica set controller reports once it has {@code pods} pods, all available. */
    private void reportPods(ObjectNode rs, int pods) {
        harness.service.update(replicaSets, "default", ObjectMetadata.name(rs), ResourceType.STATUS, RequestOptions.internal(), r -> {
            r.putObject("status").put("replicas", pods).put("readyReplicas", pods).put("availableReplicas", pods)
                    .put("observedGeneration", r.at("/metadata/generation").asLong());
            return r;
        });
    }

    @Test
    void pauseHoldsARolloutAndRecreateEmptiesFirst() {
        startReplicaSetController();
        create("{\"type\":\"Recreate\"}");
        runUntilRolledOut(3, 3);
        change(d -> d.with("spec").put("paused", true));
        change(d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", "web:v2"));
        await("paused condition", () -> deployment().at("/status/conditions").toString().contains("DeploymentPaused"));
        assertEquals(1, sets().size(), "no new replica set while paused");
        change(d -> d.with("spec").put("paused", false));
        // Recreate: never old and new pods at once
        await("rollout", Duration.ofSeconds(20), () -> {
            var live = harness.activePods("default");
            long images = live.stream().map(p -> p.at("/spec/containers/0/image").asText()).distinct().count();
            assertTrue(images <= 1, "old and new pods together");
            harness.runAll("default");
            harness.finishDeletions("default");
            return rolledOut(3) && live.stream().allMatch(p -> p.at("/spec/containers/0/image").asText().equals("web:v2"));
        });
        await("the scale-down event", () -> harness.service.list(ApiResources.of(io.fabric8.kubernetes.api.model.Event.class),
                "default", LabelSelector.EVERYTHING, FieldSelector.parse("reason=ScalingReplicaSet")).items().stream()
                .anyMatch(e -> e.path("message").asText().matches("Scaled down replica set web-\\w+ from 3 to 0")));
    }
}
