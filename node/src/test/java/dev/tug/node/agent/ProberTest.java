package dev.tug.node.agent;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tug.node.runtime.Sandbox;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP and HTTPS probes against real servers on loopback, the pod's address being 127.0.0.1. */
class ProberTest {

    @TempDir
    Path dir;
    private final List<HttpServer> servers = new ArrayList<>();
    private final Prober prober = new Prober(null);
    private final Sandbox sandbox = new Sandbox("pod", "127.0.0.1");
    private final Container container = new ContainerBuilder().withName("web").build();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** Answers 200 on /healthz and 500 elsewhere. */
    private int serve(HttpServer server) {
        server.createContext("/", exchange -> {
            int status = exchange.getRequestURI().getPath().equals("/healthz") ? 200 : 500;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private Probe httpGet(String scheme, int port, String path) {
        return new ProbeBuilder().withNewHttpGet().withScheme(scheme).withNewPort(port).withPath(path).endHttpGet()
                .withTimeoutSeconds(2).build();
    }

    private Prober.Result probe(Probe probe) {
        return prober.probe(probe, container, null, sandbox, null);
    }

    @Test
    void httpsProbeAcceptsASelfSignedCertificateForAnotherName() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(selfSigned("CN=elsewhere.example")));
        int port = serve(server);

        assertTrue(probe(httpGet("HTTPS", port, "/healthz")).success(), "kubelet checks neither issuer nor name");
        Prober.Result failing = probe(httpGet("HTTPS", port, "/broken"));
        assertFalse(failing.success());
        assertEquals("HTTP probe failed with statuscode: 500", failing.message());
        // plain HTTP to a TLS port fails instead of hanging
        assertFalse(probe(httpGet("HTTP", port, "/healthz")).success());
    }

    @Test
    void httpProbeJudgesByStatusAndRefusedConnectionsFail() throws Exception {
        int port = serve(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        assertTrue(probe(httpGet(null, port, "healthz")).success(), "a path without its slash still reaches /healthz");
        assertFalse(probe(httpGet("HTTP", port, "/other")).success());
        servers.remove(0).stop(0);
        assertFalse(probe(httpGet("HTTP", port, "/healthz")).success());
    }

    /** A key store made by the JDK's keytool, as an operator's pod would ship one. */
    private SSLContext selfSigned(String subject) throws Exception {
        Path store = dir.resolve("pod.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "secret",
                "-alias", "pod", "-keyalg", "EC", "-dname", subject, "-validity", "2")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
                new String(keytool.getInputStream().readAllBytes()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(store.toFile())) {
            keys.load(in, "secret".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "secret".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
