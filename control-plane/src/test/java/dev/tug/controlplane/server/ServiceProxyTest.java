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
    static final java.util.concurrent.CountDownLatch QUIET_UNTIL_THE_END = new java.util.concurrent.CountDownLatch(1);
    static com.sun.net.httpserver.HttpsServer secure;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), TOKEN + ",admin,admin,\"system:masters\"\n");
        server = ApiServer.start(new ServerConfig("127.0.0.1", 0, dir.resolve("data"), null, null, null, tokens, "v1.32.0"));
        http = HttpClient.newBuilder().sslContext(TlsFiles.trustContext(Files.readString(dir.resolve("data/pki/ca.crt"))))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        // echoes what reached it: method, path and query, whether an Authorization header came, the body
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // a stream that opens and then says nothing, like the logs of a quiet container
        backend.createContext("/quiet", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().flush();
            try {
                QUIET_UNTIL_THE_END.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
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
        // an HTTPS backend whose certificate names another host, as a pod's would: the proxy does not check it
        dev.tug.state.CertificateAuthority ca = dev.tug.state.CertificateAuthority.generate("proxy-test");
        var issued = ca.issue("elsewhere", java.util.List.of(), java.util.List.of("elsewhere.example"), false,
                java.time.Duration.ofDays(1));
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TlsFiles.keyStore(issued.certificatePem(), issued.privateKeyPem(), "backend"), TlsFiles.PASSWORD);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        secure = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        secure.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        secure.createContext("/", exchange -> {
            byte[] answer = ("secure " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        secure.start();
        send("POST", "/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"secure\"},\"spec\":{\"ports\":"
                + "[{\"name\":\"https\",\"port\":443}]}}");
        send("POST", "/api/v1/namespaces/default/endpoints", "{\"metadata\":{\"name\":\"secure\"},\"subsets\":[{\"addresses\":"
                + "[{\"ip\":\"127.0.0.1\"}],\"ports\":[{\"name\":\"https\",\"port\":" + secure.getAddress().getPort() + "}]}]}");
        send("POST", "/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"echo\"},\"spec\":{\"ports\":"
                + "[{\"name\":\"web\",\"port\":80}]}}");
        send("POST", "/api/v1/namespaces/default/endpoints", "{\"metadata\":{\"name\":\"echo\"},\"subsets\":[{\"addresses\":"
                + "[{\"ip\":\"127.0.0.1\"}],\"ports\":[{\"name\":\"web\",\"port\":" + backend.getAddress().getPort() + "}]}]}");
        send("POST", "/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"empty\"},\"spec\":{\"ports\":"
                + "[{\"port\":80}]}}");
    }

    @AfterAll
    static void stop() {
        QUIET_UNTIL_THE_END.countDown();
        backend.stop(0);
        secure.stop(0);
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
    void httpsBackendsAreReachedWithoutCheckingTheirCertificate() throws Exception {
        HttpResponse<String> answer = send("GET", PROXY + "https:secure:https/proxy/page", null);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("secure /page", answer.body());
    }

    @Test
    void aClientThatLeavesAQuietStreamFreesItsThread() throws Exception {
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) TlsFiles.trustContext(Files.readString(
                dir.resolve("data/pki/ca.crt"))).getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.getOutputStream().write(("GET " + PROXY + "echo:web/proxy/quiet HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII)).readLine();
        assertEquals("HTTP/1.1 200 OK", status, "the headers come before any of the body");
        assertEquals(1, relaying(), "the answer is being relayed");
        socket.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (relaying() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, relaying(), "the relay ended when its client left, though the backend said nothing more");
    }

    /** Threads copying a proxied answer right now. */
    private static long relaying() {
        return java.util.Arrays.stream(java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                .filter(t -> java.util.Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().equals(Relay.class.getName())))
                .count();
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
