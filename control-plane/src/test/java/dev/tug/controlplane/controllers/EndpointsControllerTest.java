package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.RequestOptions;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointsControllerTest {

    @TempDir
    Path dir;
    ControllerHarness harness;
    final ResourceType endpoints = ApiResources.of(Endpoints.class);
    final ResourceType services = ApiResources.of(Service.class);

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir);
        harness.start(EndpointsController::new);
        harness.start(EndpointSliceController::new);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private void pod(String name, String app, int port) {
        harness.create(Pod.class, "default", """
                {"metadata":{"name":"%s","labels":{"app":"%s"}},"spec":{"nodeName":"n1","hostname":"%s","subdomain":"web",
                 "containers":[{"name":"c","image":"busybox:1","ports":[{"name":"http","containerPort":%d}]}]}}"""
                .formatted(name, app, name, port));
    }

    private void status(String name, String ip, boolean ready) {
        harness.service.update(harness.pods, "default", name, "status", RequestOptions.internal(), p -> {
            ObjectNode status = p.putObject("status");
            status.put("phase", "Running").put("podIP", ip);
            status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False");
            return p;
        });
    }

    private Optional<ObjectNode> endpoints(String name) {
        return harness.service.find(endpoints, "default", name);
    }

    private String subsets(String name) {
        return endpoints(name).map(e -> {
            StringBuilder text = new StringBuilder();
            for (JsonNode subset : e.path("subsets")) {
                text.append("[");
                subset.path("addresses").forEach(a -> text.append(a.path("ip").asText()).append(" "));
                text.append("| ");
                subset.path("notReadyAddresses").forEach(a -> text.append(a.path("ip").asText()).append(" "));
                text.append("|");
                subset.path("ports").forEach(p -> text.append(" ").append(p.path("name").asText()).append(":")
                        .append(p.path("port").asInt()).append("/").append(p.path("protocol").asText()));
                text.append("]");
            }
            return text.toString();
        }).orElse("<none>");
    }

    @Test
    void readyPodsAreAddressesAndTheRestWait() {
        harness.create(Service.class, "default", """
                {"metadata":{"name":"web","labels":{"tier":"front"}},
                 "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":"http"},{"name":"admin","port":81,"targetPort":9000}]}}""");
        pod("a", "web", 8080);
        pod("b", "web", 8081);
        pod("other", "db", 8080);
        status("a", "127.128.1.2", true);
        status("b", "127.128.1.3", false);
        status("other", "127.128.1.4", true);
        // the named port resolves per pod, so the two pods land in separate subsets
        await("endpoints", () -> subsets("web").equals(
                "[127.128.1.2 | | http:8080/TCP admin:9000/TCP][| 127.128.1.3 | http:8081/TCP admin:9000/TCP]"));
        ObjectNode object = endpoints("web").orElseThrow();
        assertEquals("front", Json.metadata(object).path("labels").path("tier").asText(), "labels follow the Service");
        JsonNode address = object.path("subsets").get(0).path("addresses").get(0);
        assertEquals("a", address.path("hostname").asText(), "hostname and subdomain naming the Service give a DNS name");
        assertEquals("Pod", address.path("targetRef").path("kind").asText());
        assertEquals("n1", address.path("nodeName").asText());

        status("b", "127.128.1.3", true);
        await("b ready", () -> subsets("web").equals(
                "[127.128.1.2 | | http:8080/TCP admin:9000/TCP][127.128.1.3 | | http:8081/TCP admin:9000/TCP]"));
        status("a", "127.128.1.2", false);
        await("a fails readiness", () -> subsets("web").contains("[| 127.128.1.2 | http:8080/TCP"));
        harness.service.delete(harness.pods, "default", "b", DeleteOptions.background());
        await("a deleting pod leaves", () -> !subsets("web").contains("127.128.1.3"));

        await("slices mirror the endpoints", () -> slices("web").equals(List.of("127.128.1.2=false")));

        harness.service.delete(services, "default", "web", DeleteOptions.background());
        await("endpoints and slices go with the service", () -> endpoints("web").isEmpty() && slices("web").isEmpty());
    }

    /** "ip=ready" of every endpoint in the Service's slices, sorted. */
    private List<String> slices(String service) {
        List<String> found = new ArrayList<>();
        for (ObjectNode slice : harness.service.list(ApiResources.of(EndpointSlice.class), "default",
                LabelSelector.parse("kubernetes.io/service-name=" + service), FieldSelector.EVERYTHING).items()) {
            for (JsonNode endpoint : slice.path("endpoints")) {
                found.add(endpoint.path("addresses").get(0).asText() + "=" + endpoint.path("conditions").path("ready").asBoolean());
            }
        }
        Collections.sort(found);
        return found;
    }

    @Test
    void handMadeEndpointsOfASelectorlessServiceStay() throws Exception {
        harness.create(Service.class, "default", "{\"metadata\":{\"name\":\"legacy\"},\"spec\":{\"ports\":[{\"port\":5432}]}}");
        harness.create(Endpoints.class, "default", """
                {"metadata":{"name":"legacy"},"subsets":[{"addresses":[{"ip":"127.0.0.9"}],"ports":[{"port":5432}]}]}""");
        pod("stray", "legacy", 5432);
        status("stray", "127.128.1.9", true);
        Thread.sleep(300);
        assertEquals("[127.0.0.9 | | :5432/TCP]", subsets("legacy"));
        await("mirrored into a slice", () -> slices("legacy").equals(List.of("127.0.0.9=true")));
    }

    @Test
    void aServiceWithNoPodsHasEmptyEndpoints() {
        harness.create(Service.class, "default", "{\"metadata\":{\"name\":\"lonely\"},\"spec\":{\"selector\":{\"app\":\"none\"},\"ports\":[{\"port\":80,\"targetPort\":8080}]}}");
        await("endpoints object", () -> endpoints("lonely").isPresent());
        assertTrue(endpoints("lonely").orElseThrow().path("subsets").isEmpty());
        pod("late", "none", 8080);
        status("late", "127.128.1.5", true);
        await("a pod arriving later", () -> subsets("lonely").equals("[127.128.1.5 | | :8080/TCP]"));
    }
}
