package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeIpamControllerTest {

    @TempDir
    Path dir;
    ControllerHarness harness;
    final ResourceType nodes = ApiResources.of(Node.class);

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void startWith(String clusterCidr, int maskSize) {
        harness = new ControllerHarness(dir);
        ControllerSettings settings = new ControllerSettings(Duration.ofSeconds(40), 300, 300, clusterCidr, maskSize);
        harness.start(service -> new NodeIpamController(service, settings, new EventRecorder(service, "cidrAllocator")));
    }

    private void node(String name, String podCidr) {
        harness.create(Node.class, null, "{\"metadata\":{\"name\":\"" + name + "\"}"
                + (podCidr == null ? "" : ",\"spec\":{\"podCIDR\":\"" + podCidr + "\"}") + "}");
    }

    private String podCidr(String name) {
        ObjectNode node = harness.service.get(nodes, null, name);
        return Json.text(node, "spec", "podCIDR");
    }

    private String awaitCidr(String name) {
        await(name + " gets a pod range", () -> podCidr(name) != null);
        return podCidr(name);
    }

    @Test
    void nodesGetTheNextFreeBlocks() {
        startWith("10.244.0.0/16", 24);
        node("a", null);
        assertEquals("10.244.0.0/24", awaitCidr("a"));
        node("b", null);
        assertEquals("10.244.1.0/24", awaitCidr("b"));
        assertEquals("[\"10.244.1.0/24\"]", harness.service.get(nodes, null, "b").at("/spec/podCIDRs").toString());
    }

    @Test
    void aRangeSetByHandIsRespectedEvenWhenLarger() {
        startWith("10.244.0.0/16", 24);
        node("manual", "10.244.0.0/23");
        node("a", null);
        assertEquals("10.244.2.0/24", awaitCidr("a"));
        assertEquals("10.244.0.0/23", podCidr("manual"), "left as it was");
    }

    @Test
    void aDeletedNodesBlockIsGivenAgain() {
        startWith("10.244.0.0/16", 24);
        node("a", null);
        node("b", null);
        awaitCidr("a");
        awaitCidr("b");
        String freed = podCidr("a");
        harness.service.delete(nodes, null, "a", DeleteOptions.background());
        node("c", null);
        assertEquals(freed, awaitCidr("c"));
    }

    @Test
    void aFullClusterRangeIsReported() {
        startWith("10.0.0.0/29", 30); // room for two nodes
        node("a", null);
        node("b", null);
        awaitCidr("a");
        awaitCidr("b");
        node("c", null);
        await("CIDRNotAvailable", () -> harness.events("default", "CIDRNotAvailable").stream()
                .anyMatch(e -> e.path("message").asText().equals("Node c status is now: CIDRNotAvailable")));
        assertNull(podCidr("c"));
    }

    @Test
    void worksForIpv6Ranges() {
        harness = new ControllerHarness(dir);
        ControllerSettings settings = new ControllerSettings(Duration.ofSeconds(40), 300, 300, "fd00:10::/56", 64);
        NodeIpamController ipam = new NodeIpamController(harness.service, settings, new EventRecorder(harness.service, "x"));
        IPAddress taken = new IPAddressString("fd00:10::/64").getAddress();
        assertEquals("fd00:10:0:1::/64", ipam.firstFree(List.of(taken)).toCanonicalString());
    }

    @Test
    void settingsRefuseRangesThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> settings("10.244.0.0", 24), "no prefix");
        assertThrows(IllegalArgumentException.class, () -> settings("banana/16", 24));
        IllegalArgumentException hostBits = assertThrows(IllegalArgumentException.class, () -> settings("10.244.1.0/16", 24));
        assertTrue(hostBits.getMessage().contains("did you mean 10.244.0.0/16"), hostBits.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings("10.244.0.0/16", 8), "node range larger than the cluster's");
        assertThrows(IllegalArgumentException.class, () -> settings("10.244.0.0/16", 31), "no room for pods");
        assertThrows(IllegalArgumentException.class, () -> settings("10.0.0.0/8", 25), "over 65536 node ranges");
        settings("10.0.0.0/8", 24);
        settings(ControllerSettings.DEFAULT_CLUSTER_CIDR, 24);
    }

    private static ControllerSettings settings(String cidr, int mask) {
        return new ControllerSettings(Duration.ofSeconds(40), 300, 300, cidr, mask);
    }
}
