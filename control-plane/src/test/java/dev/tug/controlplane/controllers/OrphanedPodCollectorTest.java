package dev.tug.controlplane.controllers;

import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.objects.DeleteOptions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrphanedPodCollectorTest {

    @TempDir
    Path dir;
    ControllerHarness harness;

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir);
        harness.start(service -> new OrphanedPodCollector(service, Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private void pod(String name, String node) {
        harness.create(Pod.class, "default", """
                {"metadata":{"name":"%s"},"spec":{"nodeName":"%s","containers":[{"name":"c","image":"busybox:1"}]}}"""
                .formatted(name, node));
    }

    private boolean exists(String pod) {
        return harness.service.find(harness.pods, "default", pod).isPresent();
    }

    @Test
    void podsOfADeletedNodeGoForGoodAfterTheQuarantine() throws Exception {
        harness.create(Node.class, null, "{\"metadata\":{\"name\":\"gone\"}}");
        harness.create(Node.class, null, "{\"metadata\":{\"name\":\"kept\"}}");
        pod("orphan", "gone");
        pod("terminating", "gone");
        harness.service.delete(harness.pods, "default", "terminating", DeleteOptions.background());
        pod("fine", "kept");

        harness.service.delete(ApiResources.of(Node.class), null, "gone", DeleteOptions.background());
        Thread.sleep(300);
        assertTrue(exists("orphan"), "not before the quarantine: the node may come back");
        await("orphans removed", () -> !exists("orphan") && !exists("terminating"));
        Thread.sleep(300);
        assertTrue(exists("fine"), "pods of existing nodes stay");
    }
}
