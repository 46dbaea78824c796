package dev.tug.controlplane.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.server.ApiServer;
import dev.tug.controlplane.server.ServerConfig;
import dev.tug.controlplane.server.TlsFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API behind the dashboard's pages, against a real {@code tug server} (store, controllers, TLS, token file):
 * sign-in, the overview, lists, object pages, creating an app, scale, restart and delete.
 */
class DashboardApiTest {
    static final String TOKEN = "dashboard-test-token";

    @TempDir
    static Path dir;
    static ApiServer server;
    static DashboardServer dashboard;
    static HttpClient http = HttpClient.newHttpClient();
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), TOKEN + ",admin,admin,\"system:masters\"\n");
        server = ApiServer.start(new ServerConfig("127.0.0.1", 0, dir.resolve("data"), null, null, null, tokens, "v1.32.0"));
        String ca = Files.readString(dir.resolve("data/pki/ca.crt"));
        dashboard = DashboardServer.start("127.0.0.1", 0, server.url(), TlsFiles.trustContext(ca), null, null);
        base = "http://127.0.0.1:" + dashboard.port() + "/";
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (server != null) {
            server.close();
        }
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    static Answer call(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
        if (token != null) {
            request.header(DashboardHandler.TOKEN_HEADER, token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                ? Json.MAPPER.readTree(response.body()) : null;
        return new Answer(response.statusCode(), json, response);
    }

    static Answer get(String path) throws Exception {
        return call("GET", path, TOKEN, null);
    }

    /** The API server itself, as an admin, to check what the dashboard did. */
    static Answer apiServer(String method, String path, Object body) throws Exception {
        KubeApi api = new KubeApi(server.url(), TlsFiles.trustContext(Files.readString(dir.resolve("data/pki/ca.crt"))));
        try {
            return new Answer(200, api.send(TOKEN, method, path, body == null ? null : Json.tree(body), null), null);
        } catch (DashboardException e) {
            return new Answer(e.status(), Json.object().put("message", e.getMessage()), null);
        }
    }

    static ObjectNode app(String name, String port, String exposure) {
        return Json.object().put("namespace", "default").put("name", name).put("image", "").put("command",
                "echo hello from $HOSTNAME; sleep 3600").put("replicas", "2").put("port", port).put("exposure", exposure);
    }

    @Test
    void pagesAreServedAndEveryApiCallNeedsAnAcceptedToken() throws Exception {
        Answer index = call("GET", "", null, null);
        assertEquals(200, index.status());
        assertTrue(index.raw().body().contains("<title>"), index.raw().body());
        assertTrue(index.raw().headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        for (String file : List.of("app.js", "app.css")) {
            Answer answer = call("GET", file, null, null);
            assertEquals(200, answer.status(), file);
            assertFalse(answer.raw().body().isBlank(), file);
        }
        assertEquals(404, call("GET", "nothing-here", null, null).status());
        assertEquals("ok", call("GET", "healthz", null, null).raw().body());

        Answer missing = call("GET", "api/overview", null, null);
        assertEquals(401, missing.status());
        assertTrue(missing.body().path("message").asText().contains("tug get secrets admin"), missing.body().toString());
        Answer wrong = call("POST", "api/login", null, Json.object().put("token", "not-it"));
        assertEquals(401, wrong.status());
        assertTrue(wrong.body().path("message").asText().contains("not accepted"), wrong.body().toString());
        assertEquals(401, call("GET", "api/list/pods", "not-it", null).status());
        assertEquals(200, call("POST", "api/login", null, Json.object().put("token", TOKEN)).status());
        // the token may also come as a bearer token, as curl users send it
        HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(URI.create(base + "api/list/namespaces"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, bearer.statusCode(), bearer.body());
        assertEquals(404, get("api/list/widgets").status());
        assertEquals(400, get("api/object/pods/Not_A_Name/x").status());
        // a namespace in the query goes into an API path too, so it must be a name
        assertEquals(400, get("api/list/pods?namespace=kube-system%2Fsecrets%3F").status());
        assertEquals(400, get("api/overview?namespace=a%20b").status());
        // the pages link rows from their Name column, which the events table lists as a wide column
        assertEquals("Name", get("api/list/events").body().path("columns").path(0).asText());
    }

    @Test
    void createAnAppThenScaleRestartAndDeleteIt() throws Exception {
        Answer created = call("POST", "api/apps", TOKEN, app("shop", "8080", "NodePort"));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        JsonNode service = created.body().path("service");
        assertEquals("NodePort", service.path("type").asText());
        int nodePort = service.path("nodePort").asInt();
        assertTrue(nodePort >= 30000 && nodePort <= 32767, service.toString());

        JsonNode deployment = apiServer("GET", "/apis/apps/v1/namespaces/default/deployments/shop", null).body();
        assertEquals(2, deployment.path("spec").path("replicas").asInt());
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").path(0);
        assertEquals(List.of("sh", "-c", "echo hello from $HOSTNAME; sleep 3600"), texts(container.path("command")));
        assertEquals(Actions.COMMAND_IMAGE, container.path("image").asText());
        assertEquals(8080, container.path("ports").path(0).path("containerPort").asInt());
        assertTrue(container.path("env").toString().contains("\"name\":\"PORT\",\"value\":\"8080\""), container.toString());
        assertTrue(container.path("env").toString().contains("status.podIP"), container.toString());
        JsonNode svc = apiServer("GET", "/api/v1/namespaces/default/services/shop", null).body();
        assertEquals("shop", svc.path("spec").path("selector").path("app").asText());
        assertEquals(8080, svc.path("spec").path("ports").path(0).path("targetPort").asInt());

        // the deployment's page: its pods (made by the real controllers), replicas and actions
        JsonNode page = awaitPage("api/object/deployments/default/shop", p -> p.path("pods").size() == 2);
        assertEquals("Deployment", page.path("kind").asText());
        assertEquals(2, page.path("replicas").path("desired").asInt());
        assertEquals(List.of("scale", "restart", "delete"), texts(page.path("actions")));
        assertTrue(page.path("yaml").asText().contains("name: shop"), page.path("yaml").asText());
        assertTrue(page.path("summary").toString().contains("2 desired"), page.path("summary").toString());

        // a pod's page names its owners up to the deployment
        String pod = page.path("pods").path(0).path("name").asText();
        JsonNode podPage = get("api/object/pods/default/" + pod).body();
        List<String> owners = new ArrayList<>();
        podPage.path("owners").forEach(o -> owners.add(o.path("kind").asText() + "/" + o.path("name").asText()));
        assertEquals(2, owners.size(), owners.toString());
        assertTrue(owners.get(0).startsWith("ReplicaSet/shop-"), owners.toString());
        assertEquals("Deployment/shop", owners.get(1));
        assertEquals(List.of("shop"), texts(podPage.path("containers")));
        // no node runs it here, so its logs say why there are none, in the API server's words
        Answer logs = get("api/logs/default/" + pod);
        assertEquals(400, logs.status());
        assertTrue(logs.body().path("message").asText().contains("not scheduled"), logs.body().toString());

        // the service's page lists the pods it selects
        assertEquals(2, get("api/object/services/default/shop").body().path("pods").size());

        // lists carry kubectl's columns
        JsonNode list = get("api/list/deployments?namespace=default").body();
        assertEquals("Name", list.path("columns").path(0).asText());
        assertTrue(texts(list.path("columns")).contains("Ready"), list.toString());
        assertEquals("shop", list.path("rows").path(0).path("name").asText());
        JsonNode pods = get("api/list/pods?namespace=default&labelSelector=app%3Dshop").body();
        assertEquals(2, pods.path("rows").size(), pods.toString());

        Answer scaled = call("POST", "api/scale/deployments/default/shop", TOKEN, Json.object().put("replicas", 3));
        assertEquals(200, scaled.status(), String.valueOf(scaled.body()));
        assertEquals(3, apiServer("GET", "/apis/apps/v1/namespaces/default/deployments/shop", null).body()
                .path("spec").path("replicas").asInt());
        assertEquals(400, call("POST", "api/scale/deployments/default/shop", TOKEN, Json.object().put("replicas", -1)).status());
        assertEquals(400, call("POST", "api/scale/pods/default/" + pod, TOKEN, Json.object().put("replicas", 1)).status());

        Answer restarted = call("POST", "api/restart/deployments/default/shop", TOKEN, null);
        assertEquals(200, restarted.status(), String.valueOf(restarted.body()));
        assertEquals(restarted.body().path("restartedAt").asText(), apiServer("GET",
                "/apis/apps/v1/namespaces/default/deployments/shop", null).body().path("spec").path("template")
                .path("metadata").path("annotations").path("kubectl.kubernetes.io/restartedAt").asText());

        Answer deleted = call("DELETE", "api/object/deployments/default/shop?withService=true", TOKEN, null);
        assertEquals(200, deleted.status(), String.valueOf(deleted.body()));
        assertEquals(List.of("deployments/shop", "services/shop"), texts(deleted.body().path("deleted")));
        assertEquals(404, apiServer("GET", "/apis/apps/v1/namespaces/default/deployments/shop", null).status());
        assertEquals(404, apiServer("GET", "/api/v1/namespaces/default/services/shop", null).status());
    }

    @Test
    void badAppsChangeNothing() throws Exception {
        Answer badName = call("POST", "api/apps", TOKEN, app("Bad_Name", "", "internal"));
        assertEquals(400, badName.status());
        assertTrue(badName.body().path("message").asText().contains("DNS label"), badName.body().toString());
        Answer noPort = call("POST", "api/apps", TOKEN, app("noport", "", "LoadBalancer"));
        assertEquals(400, noPort.status());
        assertTrue(noPort.body().path("message").asText().contains("needs a port"), noPort.body().toString());
        Answer nothing = call("POST", "api/apps", TOKEN, app("empty", "", "internal").put("command", ""));
        assertEquals(400, nothing.status());
        assertEquals(400, call("POST", "api/apps", TOKEN, app("badport", "70000", "internal")).status());

        // refused by the API server (no such namespace): its message comes through, and nothing was made
        Answer noNamespace = call("POST", "api/apps", TOKEN, app("lost", "80", "internal").put("namespace", "nowhere"));
        assertEquals(404, noNamespace.status(), String.valueOf(noNamespace.body()));
        assertTrue(noNamespace.body().path("message").asText().contains("nowhere"), noNamespace.body().toString());

        // a Service of that name exists already: the dry run finds it before the Deployment is made
        ObjectNode taken = Json.object().put("apiVersion", "v1").put("kind", "Service");
        taken.putObject("metadata").put("name", "taken");
        taken.putObject("spec").putArray("ports").addObject().put("port", 80);
        assertEquals(200, apiServer("POST", "/api/v1/namespaces/default/services", taken).status());
        Answer clash = call("POST", "api/apps", TOKEN, app("taken", "80", "internal"));
        assertEquals(409, clash.status(), String.valueOf(clash.body()));
        assertEquals(404, apiServer("GET", "/apis/apps/v1/namespaces/default/deployments/taken", null).status());
        for (String name : List.of("noport", "empty", "badport", "lost")) {
            assertEquals(404, apiServer("GET", "/apis/apps/v1/namespaces/default/deployments/" + name, null).status());
        }
    }

    @Test
    void overviewCountsAndWarningsAndSecretsStayHidden() throws Exception {
        apiServer("POST", "/api/v1/namespaces", Json.parseObject(
                "{\"metadata\":{\"name\":\"ops\"}}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, call("POST", "api/apps", TOKEN, app("worker", "", "internal").put("namespace", "ops")).status());
        ObjectNode secret = Json.object().put("apiVersion", "v1").put("kind", "Secret");
        secret.putObject("metadata").put("name", "db");
        secret.putObject("data").put("password", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)));
        apiServer("POST", "/api/v1/namespaces/ops/secrets", secret);
        ObjectNode event = Json.object().put("apiVersion", "v1").put("kind", "Event").put("type", "Warning")
                .put("reason", "BackOff").put("message", "Back-off restarting failed container")
                .put("lastTimestamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.putObject("metadata").put("name", "worker.1");
        event.putObject("involvedObject").put("kind", "Deployment").put("name", "worker").put("namespace", "ops");
        assertEquals(200, apiServer("POST", "/api/v1/namespaces/ops/events", event).status());

        JsonNode overview = awaitPage("api/overview?namespace=ops",
                o -> o.path("counts").path("pods").path("total").asInt() == 2);
        JsonNode counts = overview.path("counts");
        assertEquals(1, counts.path("deployments").asInt(), counts.toString());
        assertEquals(1, counts.path("replicasets").asInt(), counts.toString());
        assertEquals(1, counts.path("secrets").asInt(), counts.toString());
        assertEquals(2, counts.path("pods").path("Pending").asInt(), counts.toString());
        assertTrue(texts(overview.path("namespaces")).containsAll(List.of("default", "ops", "kube-system")));
        JsonNode warning = null;
        for (JsonNode w : overview.path("warnings")) {
            warning = w.path("reason").asText().equals("BackOff") ? w : warning;
        }
        assertTrue(warning != null, overview.path("warnings").toString());
        // the scheduler's own warnings about the pods it cannot place are there too, linking to the pods
        assertTrue(overview.path("warnings").toString().contains("\"reason\":\"FailedScheduling\""), overview.toString());
        assertEquals("deployments", warning.path("resource").asText());
        assertEquals("worker", warning.path("name").asText());
        assertEquals(List.of(), texts(overview.path("nodes")), "no agent runs here, so there are no nodes");

        JsonNode page = get("api/object/deployments/ops/worker").body();
        assertEquals("BackOff", page.path("events").path(0).path("reason").asText(), page.path("events").toString());

        JsonNode hidden = get("api/object/secrets/ops/db").body();
        assertEquals(List.of("password"), texts(hidden.path("secretKeys")));
        assertTrue(hidden.path("yaml").asText().contains("password: " + ObjectDetails.HIDDEN), hidden.path("yaml").asText());
        assertFalse(hidden.toString().contains(Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))));
        JsonNode revealed = get("api/object/secrets/ops/db?reveal=true").body();
        assertTrue(revealed.path("yaml").asText().contains(Base64.getEncoder().encodeToString(
                "s3cret".getBytes(StandardCharsets.UTF_8))), revealed.path("yaml").asText());
        assertEquals(List.of("delete"), texts(hidden.path("actions")));
    }

    static JsonNode awaitPage(String path, java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonNode page;
        do {
            Answer answer = get(path);
            assertEquals(200, answer.status(), String.valueOf(answer.body()));
            page = answer.body();
            if (done.test(page)) {
                return page;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not as expected in 20s: " + page);
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.isObject() ? node.path("name").asText() : node.asText()));
        return texts;
    }
}
