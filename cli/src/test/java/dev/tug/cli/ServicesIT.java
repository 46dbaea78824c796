package dev.tug.cli;

import static dev.tug.cli.WorkloadCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Services as the Kubernetes walkthroughs use them, on {@code tug server} and two
 * {@code tug agent}s with the process runtime: cluster IPs and node ports served by the agents'
 * proxies, Endpoints following readiness, Service variables and cluster DNS, all driven with the
 * real kubectl. Cluster IPs come from 127.97.0.0/16 so they cannot meet another test cluster's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServicesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String NODE_1 = "127.0.0.21";
    private static final String NODE_2 = "127.0.0.22";
    private static final String DNS = "127.97.0.10";

    @TempDir
    static Path dir;
    static WorkloadCluster cluster;
    static Path www;

    @BeforeAll
    static void start() throws IOException {
        requireRoot();
        cluster = new WorkloadCluster(dir, "--service-cluster-ip-range", "127.97.0.0/16");
        cluster.startAgent("node-1", NODE_1);
        cluster.startAgent("node-2", NODE_2);
        www = Files.createDirectories(dir.resolve("www"));
        cluster.apply(web("web", 3));
        cluster.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http}]
                """);
        await("3 endpoints", WAIT, () -> readyAddresses("web").size() == 3);
    }

    /** Cluster DNS listens on port 53 and pods get their own resolv.conf: both need root. */
    private static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("ServicesIT needs root (cluster DNS on port 53, private mounts for pods'"
                    + " resolv.conf): run the README's test command as root");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Replicas of a web server that answers with its pod's name, ready while its ready file exists. */
    private static String web(String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: web
                        image: example/web:1
                        command: ["sh", "-c", "mkdir -p %3$s/$(POD_NAME) && cd %3$s/$(POD_NAME) && echo $(POD_NAME) > index.html && touch ready && exec python3 -m http.server --bind $(POD_IP) 8080"]
                        ports: [{name: http, containerPort: 8080}]
                        env:
                        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                        - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                        readinessProbe: {httpGet: {path: /ready, port: http}, periodSeconds: 1, failureThreshold: 1}
                """.formatted(name, replicas, www);
    }

    private static JsonNode json(String... args) {
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("-o", "json"));
            return JSON.readTree(cluster.kubectl(all.toArray(String[]::new)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> readyAddresses(String service) {
        Set<String> ips = new TreeSet<>();
        String found = cluster.kubectlOk("get", "endpoints", service, "-o", "jsonpath={.subsets[*].addresses[*].ip}");
        for (String ip : found.split("\\s+")) {
            if (!ip.isBlank()) {
                ips.add(ip);
            }
        }
        return ips;
    }

    private static String clusterIp(String service) {
        return cluster.kubectl("get", "service", service, "-o", "jsonpath={.spec.clusterIP}").trim();
    }

    private static Set<String> podNames(String selector) {
        Set<String> names = new TreeSet<>();
        json("get", "pods", "-l", selector).path("items").forEach(p -> names.add(p.at("/metadata/name").asText()));
        return names;
    }

    /** One HTTP/1.0 GET on a fresh connection (so each one is balanced anew); the body, or "" when refused. */
    static String get(String host, int port, String path) {
        return exchange(host, port, "GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n");
    }

    /** A POST of {@code text} the same way. */
    static String post(String host, int port, String path, String text) {
        return exchange(host, port, "POST " + path + " HTTP/1.0\r\nHost: " + host + "\r\nContent-Length: "
                + text.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + text);
    }

    private static String exchange(String host, int port, String request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(10000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            return body < 0 ? "" : response.substring(body + 4).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs {@code script} in a pod of its own to completion; its output. */
    private static String runPod(String name, String script) throws IOException {
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  restartPolicy: Never
                  containers: [{name: check, image: busybox, command: ["sh", "-c", %s]}]
                """.formatted(name, JSON.writeValueAsString(script)));
        await(name + " done", WAIT, () -> cluster.kubectlOk("get", "pod", name, "-o",
                "jsonpath={.status.phase}").equals("Succeeded"));
        return cluster.kubectl("logs", name);
    }

    private static Set<String> answers(String host, int port, int requests) {
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < requests; i++) {
            String body = get(host, port, "/");
            if (!body.isEmpty()) {
                seen.add(body);
            }
        }
        return seen;
    }

    @Test
    @Order(1)
    void aClusterIpSpreadsRequestsOverEveryReplica() {
        String ip = clusterIp("web");
        assertTrue(ip.startsWith("127.97."), "allocated from --service-cluster-ip-range: " + ip);
        assertEquals(podNames("app=web"), answers(ip, 80, 30), "30 requests reach all 3 replicas");
        String described = cluster.kubectl("describe", "service", "web");
        for (String endpoint : readyAddresses("web")) {
            assertTrue(described.contains(endpoint + ":8080"), "describe lists the endpoints (from EndpointSlices):\n" + described);
        }
        assertTrue(cluster.kubectl("get", "endpointslices", "-l", "kubernetes.io/service-name=web").contains("IPv4"));
    }

    @Test
    @Order(2)
    void aNodePortAnswersOnEveryNode() {
        cluster.kubectl("patch", "service", "web", "-p", "{\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30081}]}}");
        int nodePort = Integer.parseInt(cluster.kubectl("get", "service", "web", "-o",
                "jsonpath={.spec.ports[0].nodePort}").trim());
        assertTrue(nodePort >= 30000 && nodePort <= 32767, "from the node port range: " + nodePort);
        Set<String> pods = podNames("app=web");
        for (String node : List.of(NODE_1, NODE_2)) {
            await("node port " + nodePort + " on " + node, WAIT, () -> pods.contains(get(node, nodePort, "/")));
        }
        assertEquals(pods, answers(clusterIp("web"), 80, 20), "the cluster IP still answers");
    }

    @Test
    @Order(3)
    void aPodFailingReadinessLeavesTheEndpointsAndComesBack() throws IOException {
        String pod = podNames("app=web").iterator().next();
        String ip = json("get", "pod", pod).at("/status/podIP").asText();
        Files.delete(www.resolve(pod).resolve("ready"));
        await(pod + " out of the endpoints", WAIT, () -> !readyAddresses("web").contains(ip));
        assertTrue(cluster.kubectl("get", "endpoints", "web", "-o", "jsonpath={.subsets[*].notReadyAddresses[*].ip}")
                .contains(ip), "listed as not ready");
        Set<String> others = new HashSet<>(podNames("app=web"));
        others.remove(pod);
        assertEquals(others, answers(clusterIp("web"), 80, 20), "no request reaches the unready pod");

        Files.createFile(www.resolve(pod).resolve("ready"));
        await(pod + " back in the endpoints", WAIT, () -> readyAddresses("web").contains(ip));
        await("requests reach it again", WAIT, () -> answers(clusterIp("web"), 80, 10).contains(pod));
    }

    @Test
    @Order(4)
    void aSelectorlessServiceForwardsToHandMadeEndpoints() throws Exception {
        HttpServer outside = HttpServer.create(new InetSocketAddress("127.0.0.31", 0), 0);
        outside.createContext("/", exchange -> {
            byte[] body = "outside the cluster".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        outside.start();
        try {
            int port = outside.getAddress().getPort();
            cluster.apply("""
                    apiVersion: v1
                    kind: Service
                    metadata: {name: legacy-db}
                    spec:
                      ports: [{port: 5000, targetPort: %1$d}]
                    ---
                    apiVersion: v1
                    kind: Endpoints
                    metadata: {name: legacy-db}
                    subsets:
                    - addresses: [{ip: 127.0.0.31}]
                      ports: [{port: %1$d}]
                    """.formatted(port));
            String ip = clusterIp("legacy-db");
            await("legacy-db forwards", WAIT, () -> get(ip, 5000, "/").equals("outside the cluster"));
        } finally {
            outside.stop(0);
        }
    }

    @Test
    @Order(5)
    void podsCreatedAfterAServiceGetItsVariables() throws IOException {
        String env = runPod("env-check", "env | sort");
        String ip = clusterIp("web");
        for (String expected : List.of("WEB_SERVICE_HOST=" + ip, "WEB_SERVICE_PORT=80", "WEB_SERVICE_PORT_HTTP=80",
                "WEB_PORT=tcp://" + ip + ":80", "WEB_PORT_80_TCP=tcp://" + ip + ":80", "WEB_PORT_80_TCP_PROTO=tcp",
                "WEB_PORT_80_TCP_PORT=80", "WEB_PORT_80_TCP_ADDR=" + ip, "KUBERNETES_SERVICE_HOST=127.97.0.1",
                "KUBERNETES_SERVICE_PORT=443", "LEGACY_DB_SERVICE_PORT=5000")) {
            assertTrue(env.lines().anyMatch(expected::equals), expected + " in\n" + env);
        }
    }

    @Test
    @Order(6)
    void theKubernetesServiceReachesTheApiServer() {
        // the server's certificate names the kubernetes Service's cluster IP, so kubectl verifies it
        String namespaces = cluster.kubectl("--server", "https://127.97.0.1:443", "get", "namespaces", "-o", "name");
        assertTrue(namespaces.contains("namespace/kube-system"), namespaces);
    }

    @Test
    @Order(7)
    void clusterDnsAnswersForServicesAndHeadlessServices() throws Exception {
        cluster.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: web-pods}
                spec:
                  clusterIP: None
                  selector: {app: web}
                  ports: [{name: http, port: 8080}]
                """);
        await("headless endpoints", WAIT, () -> readyAddresses("web-pods").size() == 3);
        SimpleResolver resolver = new SimpleResolver(DNS);
        resolver.setTimeout(Duration.ofSeconds(2));
        assertEquals(Set.of(clusterIp("web")), addresses(resolver, "web.default.svc.cluster.local"));
        assertEquals(readyAddresses("web-pods"), addresses(resolver, "web-pods.default.svc.cluster.local"));
        Lookup srv = new Lookup("_http._tcp.web.default.svc.cluster.local", Type.SRV);
        srv.setResolver(resolver);
        srv.setCache(null);
        Record[] records = srv.run();
        assertTrue(records != null && records.length == 1, "one SRV record: " + srv.getErrorString());
        assertEquals(80, ((SRVRecord) records[0]).getPort());

        // a pod resolves Service names through its own resolv.conf, with the namespace's search path
        String output = runPod("dns-check",
                "getent hosts web; getent ahostsv4 web-pods.default | cut -d' ' -f1 | sort -u; cat /etc/resolv.conf");
        assertTrue(output.lines().anyMatch(l -> l.startsWith(clusterIp("web") + " ")), output);
        for (String ip : readyAddresses("web-pods")) {
            assertTrue(output.lines().anyMatch(ip::equals), ip + " in\n" + output);
        }
        assertTrue(output.contains("nameserver " + DNS), output);
        assertTrue(output.contains("search default.svc.cluster.local svc.cluster.local cluster.local"), output);
    }

    @Test
    @Order(8)
    void theThreeTierExampleWorksThroughServiceNames() throws Exception {
        Path example = Path.of("..", "examples", "three-tier", "app.yaml").toAbsolutePath().normalize();
        cluster.kubectl("create", "namespace", "three-tier");
        cluster.kubectl("apply", "-n", "three-tier", "-f", example.toString());
        for (String tier : List.of("db", "cache", "web")) {
            cluster.kubectl("rollout", "status", "-n", "three-tier", "deployment/" + tier, "--timeout=90s");
        }
        // web -> cache -> db, each found by its Service's name through cluster DNS
        await("a note written through node 1", WAIT, () -> post(NODE_1, 30080, "/api/notes", "hello from the test").contains("added"));
        String notes = get(NODE_2, 30080, "/api/notes");
        JsonNode body = JSON.readTree(notes);
        assertEquals("hello from the test", body.path("notes").get(0).asText(), notes);
        assertTrue(body.path("db").asText().startsWith("db-") && body.path("web").asText().startsWith("web-"), notes);
        assertTrue(get(NODE_1, 30080, "/").contains("<li>hello from the test</li>"), "the HTML page lists the note");
    }

    private static Set<String> addresses(SimpleResolver resolver, String name) throws Exception {
        Lookup lookup = new Lookup(name, Type.A);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] records = lookup.run();
        Set<String> ips = new TreeSet<>();
        if (records != null) {
            for (Record record : records) {
                ips.add(((ARecord) record).getAddress().getHostAddress());
            }
        }
        return ips;
    }
}
