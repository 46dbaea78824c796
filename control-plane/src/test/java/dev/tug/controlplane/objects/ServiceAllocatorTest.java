package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.store.SqliteStore;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cluster IPs and node ports: handed out from the configured ranges, checked when asked for, kept across updates. */
class ServiceAllocatorTest {

    @TempDir
    Path dir;
    SqliteStore store;
    ResourceService service;
    final ResourceType services = ApiResources.of(Service.class);

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        service = new ResourceService(store, Clock.systemUTC(), ServiceNetwork.of("10.0.0.0/28", "30000-30002"));
        ObjectNode ns = Json.object();
        ns.putObject("metadata").put("name", "default");
        service.create(ApiResources.of(Namespace.class), null, ns, RequestOptions.internal());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ObjectNode create(String name, String spec) {
        return service.create(services, "default", Json.parseObject(
                ("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}").getBytes()), RequestOptions.internal());
    }

    private ApiException refused(String name, String spec) {
        return assertThrows(ApiException.class, () -> create(name, spec));
    }

    @Test
    void clusterIpsComeFromTheRangeAndRunOut() {
        Set<String> ips = new HashSet<>();
        // a /28 has 14 hosts
        for (int i = 0; i < 14; i++) {
            ObjectNode created = create("s" + i, "{\"ports\":[{\"port\":80}]}");
            String ip = Json.text(created, "spec", "clusterIP");
            assertTrue(ip.matches("10\\.0\\.0\\.([1-9]|1[0-4])"), ip);
            assertEquals(ip, created.path("spec").path("clusterIPs").get(0).asText());
            assertTrue(ips.add(ip), "handed out twice: " + ip);
        }
        ApiException full = refused("one-too-many", "{\"ports\":[{\"port\":80}]}");
        assertEquals(500, full.code());
        assertEquals("Internal error occurred: failed to allocate a serviceIP: range is full", full.getMessage());
        String freed = Json.text(service.get(services, "default", "s3"), "spec", "clusterIP");
        service.delete(services, "default", "s3", DeleteOptions.background());
        assertEquals(freed, Json.text(create("after-delete", "{\"ports\":[{\"port\":80}]}"), "spec", "clusterIP"));
    }

    @Test
    void aChosenClusterIpIsCheckedAndKept() {
        assertEquals("10.0.0.10", Json.text(create("dns", "{\"clusterIP\":\"10.0.0.10\",\"ports\":[{\"port\":53}]}"), "spec", "clusterIP"));
        assertEquals("Service \"again\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.10\"}: failed to allocate IP"
                        + " 10.0.0.10: provided IP is already allocated",
                refused("again", "{\"clusterIP\":\"10.0.0.10\",\"ports\":[{\"port\":53}]}").getMessage());
        assertEquals("Service \"outside\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.1.1\"}: failed to allocate IP"
                        + " 10.0.1.1: the provided IP (10.0.1.1) is not in the valid range. The range of valid IPs is 10.0.0.0/28",
                refused("outside", "{\"clusterIP\":\"10.0.1.1\",\"ports\":[{\"port\":53}]}").getMessage());
        // a replace without the address keeps it; a change of address is refused
        ObjectNode replaced = service.update(services, "default", "dns", null, Json.parseObject(
                "{\"metadata\":{\"name\":\"dns\"},\"spec\":{\"ports\":[{\"port\":5353}]}}".getBytes()), RequestOptions.internal());
        assertEquals("10.0.0.10", Json.text(replaced, "spec", "clusterIP"));
        assertEquals(422, assertThrows(ApiException.class, () -> service.update(services, "default", "dns", null, Json.parseObject(
                "{\"metadata\":{\"name\":\"dns\"},\"spec\":{\"clusterIP\":\"10.0.0.11\",\"ports\":[{\"port\":53}]}}".getBytes()),
                RequestOptions.internal())).code());
        assertEquals("None", Json.text(create("headless", "{\"clusterIP\":\"None\",\"ports\":[{\"port\":80}]}"), "spec", "clusterIP"));
        assertFalse(create("external", "{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}").path("spec").has("clusterIP"));
    }

    @Test
    void nodePortsComeFromTheRangeAndAreKeptAcrossUpdates() {
        ObjectNode web = create("web", "{\"type\":\"NodePort\",\"ports\":[{\"name\":\"http\",\"port\":80},{\"name\":\"https\",\"port\":443}]}");
        int http = web.path("spec").path("ports").get(0).path("nodePort").asInt();
        int https = web.path("spec").path("ports").get(1).path("nodePort").asInt();
        assertTrue(http >= 30000 && http <= 30002 && https >= 30000 && https <= 30002, http + " " + https);
        assertNotEquals(http, https);
        assertEquals("Service \"taken\" is invalid: spec.ports[0].nodePort: Invalid value: " + http + ": provided port is already allocated",
                refused("taken", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":" + http + "}]}").getMessage());
        assertEquals("Service \"far\" is invalid: spec.ports[0].nodePort: Invalid value: 31000: provided port is not in the valid range."
                        + " The range of valid ports is 30000-30002",
                refused("far", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":31000}]}").getMessage());
        ObjectNode replaced = service.update(services, "default", "web", null, Json.parseObject(
                "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"name\":\"https\",\"port\":443},{\"name\":\"http\",\"port\":8080}]}}"
                        .getBytes()), RequestOptions.internal());
        assertEquals(https, replaced.path("spec").path("ports").get(0).path("nodePort").asInt());
        assertEquals(http, replaced.path("spec").path("ports").get(1).path("nodePort").asInt());
        // back to ClusterIP: node ports carried along by the client are dropped, and freed
        ObjectNode internal = service.update(services, "default", "web", null, RequestOptions.internal(), current -> {
            ((ObjectNode) current.path("spec")).put("type", "ClusterIP");
            return current;
        });
        assertFalse(internal.path("spec").path("ports").get(0).has("nodePort"));
        assertEquals(http, create("reuse", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":" + http + "}]}")
                .path("spec").path("ports").get(0).path("nodePort").asInt());
    }

    @Test
    void settingsAreChecked() {
        assertEquals("the service range (--service-cluster-ip-range) must be between a /12 and a /28, not /8",
                assertThrows(IllegalArgumentException.class, () -> ServiceNetwork.of("10.0.0.0/8", "30000-32767")).getMessage());
        assertEquals("the node port range (--service-node-port-range) must be low-high, such as 30000-32767, not \"30000\"",
                assertThrows(IllegalArgumentException.class, () -> ServiceNetwork.of("10.96.0.0/12", "30000")).getMessage());
        assertEquals("10.96.0.1", ServiceNetwork.of("10.96.0.0/12", "30000-32767").kubernetesServiceIp());
        assertEquals("127.96.0.10", ServiceNetwork.defaults().dnsServiceIp());
    }
}
