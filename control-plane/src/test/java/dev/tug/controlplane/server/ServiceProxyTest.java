package dev.tug.controlplane.server;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code services/NAME/proxy/...} of a real server to a backend on loopback, behind a selector-less Service. */
class ServiceProxyTest {
    static final String TOKEN = "proxy-test-token";
    static final String PROXY = "/api/v1/namespaces/default/services/";

    @TempDir
    static Path dir;
    static ApiServer server;
    static HttpServer backend;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), TOKEN + ",admin,admin,\"system:masters\"\n");
        server = ApiServer.start(new ServerConfig("127.0.0.1", 0, dir.resolve("data"), null, null, null, tokens, "v1.32.0"));
        http = HttpClient.newBuilder().sslContext(TlsFiles.trustContext(Files.readString(dir.resolve("data/pki/ca.crt"))))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        // echoes what reached it: method, path and query, whether an Authorization header came, the body
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                    + exchange.getRequestHeaders().containsKey("Authorization") + " length="
                    + exchange.getRequestHeaders().getFirst("Content-Length") + " body=" + body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Backend", "echo");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        backend.start();
        send("POST", "/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"echo\"},\"spec\":{\"ports\":"
                + "[{\"name\":\"web\",\"port\":80}]}}");
        send("POST", "/api/v1/namespaces/default/endpoints", "{\"metadata\":{\"name\":\"echo\"},\"subsets\":[{\"addresses\":"
                + "[{\"ip\":\"127.0.0.1\"}],\"ports\":[{\"name\":\"web\",\"port\":" + backend.getAddress().getPort() + "}]}]}");
        send("POST", "/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"empty\"},\"spec\":{\"ports\":"
                + "[{\"port\":80}]}}");
    }

    @AfterAll
    static void stop() {
        backend.stop(0);
        server.close();
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsPathQueryAndBodyButNotTheCallersCredentials() throws Exception {
        HttpResponse<String> get = send("GET", PROXY + "echo:web/proxy/a/b?x=1&y=two", null);
        assertEquals(200, get.statusCode(), get.body());
        assertEquals("GET /a/b?x=1&y=two auth=false length=0 body=", get.body(), "not chunked");
        assertEquals("echo", get.headers().firstValue("X-Backend").orElse(""));
        HttpResponse<String> post = send("POST", PROXY + "http:echo:80/proxy/form", "name=web");
        assertEquals("POST /form auth=false length=8 body=name=web", post.body());
        assertEquals(200, send("GET", PROXY + "echo/proxy/", null).statusCode(), "the only port when none is named");
    }

    @Test
    void withoutATrailingSlashRedirectsSoRelativeLinksWork() throws Exception {
        HttpResponse<String> bare = send("GET", PROXY + "echo:web/proxy?q=1", null);
        assertEquals(301, bare.statusCode());
        assertEquals(PROXY + "echo:web/proxy/?q=1", bare.headers().firstValue("Location").orElse(""));
    }

    @Test
    void explainsWhatCannotBeReached() throws Exception {
        HttpResponse<String> empty = send("GET", PROXY + "empty/proxy/", null);
        assertEquals(503, empty.statusCode());
        assertTrue(empty.body().contains("no endpoints available for service \\\"empty\\\""), empty.body());
        HttpResponse<String> port = send("GET", PROXY + "echo:nope/proxy/", null);
        assertEquals(503, port.statusCode());
        assertTrue(port.body().contains("no service port \\\"nope\\\""), port.body());
        assertEquals(404, send("GET", PROXY + "missing/proxy/", null).statusCode());
        HttpResponse<String> scheme = send("GET", PROXY + "ftp:echo:80/proxy/", null);
        assertEquals(400, scheme.statusCode(), scheme.body());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(server.url() + PROXY + "echo/proxy/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertFalse(anonymous.body().contains("GET /"), "nothing reached the backend");
    }
}
