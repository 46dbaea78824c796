package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.controlplane.kubeconfig.Kubeconfig;
import dev.tug.state.CertificateAuthority;
import dev.tug.state.ClusterLayout;
import dev.tug.state.Environment;
import dev.tug.state.testing.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tug server} as its own process, from the packaged jar: crash safety and the cluster CA. */
class ApiServerProcessIT {
    @TempDir
    Path dir;

    private final Path kubectl = ExternalProcess.require("kubectl",
            "kubectl 1.32 must be on PATH (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/)");

    private Process server(Path data, int port, String... extra) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "tug.jar").toAbsolutePath().toString(), "server",
                "--data-dir", data.toString(), "--listen", "127.0.0.1:" + port));
        command.addAll(List.of(extra));
        return ExternalProcess.startAndAwaitPort(command, port, dir.resolve("server-" + port + ".log"),
                Duration.ofSeconds(60));
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
        Path data = dir.resolve("data");
        int port = ExternalProcess.freePort();
        Process first = server(data, port);
        HttpClient client = client(data.resolve("admin.kubeconfig"));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.submit(() -> {
                for (int i = 0; writing.get(); i++) {
                    String name = "crash-" + writer + "-" + i;
                    String body = "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"n\":\"" + i + "\"}}";
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                        URI.create("https://127.0.0.1:" + port + "/api/v1/namespaces/default/configmaps"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 201) {
                            acknowledged.add(name);
                        }
                    } catch (Exception serverGone) {
                        return null;
                    }
                }
                return null;
            });
        }
        while (acknowledged.size() < 300) {
            Thread.sleep(20);
        }
        first.destroyForcibly(); // SIGKILL, with writes in flight
        first.waitFor(30, TimeUnit.SECONDS);
        writing.set(false);
        writers.shutdown();
        assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS));

        int port2 = ExternalProcess.freePort();
        Process second = server(data, port2);
        try {
            String listed = ExternalProcess.run(List.of(kubectl.toString(), "--kubeconfig",
                    data.resolve("admin.kubeconfig").toString(), "get", "configmaps", "-n", "default", "-o", "name"),
                    Map.of("HOME", dir.toString()));
            for (String name : acknowledged) {
                assertTrue(listed.contains("configmap/" + name + "\n"), name + " was acknowledged, then lost");
            }
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void exportedKubeconfigReachesAServerCertifiedByTheClusterCa() throws Exception {
        Path home = dir.resolve("home");
        Map<String, String> env = Map.of("HOME", home.toString());
        Tug.run(new String[] {"create", "cluster", "demo", "--cloud", "local"}, new Environment(env), System.out, System.err,
                System.in);
        Path state = home.resolve(".tug/state");
        CertificateAuthority ca = CertificateAuthority.fromPem(
                Files.readString(state.resolve(ClusterLayout.caCertificate("demo"))),
                Files.readString(state.resolve(ClusterLayout.caPrivateKey("demo"))));
        CertificateAuthority.IssuedCertificate serving = ca.issue("tug-apiserver", List.of(), List.of("127.0.0.1"),
                false, Duration.ofDays(1));
        Path pki = Files.createDirectories(dir.resolve("pki"));
        Files.writeString(pki.resolve("ca.crt"), ca.certificatePem());
        Files.writeString(pki.resolve("apiserver.crt"), serving.certificatePem());
        Files.writeString(pki.resolve("apiserver.key"), serving.privateKeyPem());
        int port = ExternalProcess.freePort();
        Process server = server(dir.resolve("data"), port, "--tls-cert-file", pki.resolve("apiserver.crt").toString(),
                "--tls-private-key-file", pki.resolve("apiserver.key").toString(),
                "--client-ca-file", pki.resolve("ca.crt").toString());
        try {
            Path kubeconfig = dir.resolve("exported.kubeconfig");
            int exit = Tug.run(new String[] {"export", "kubeconfig", "demo", "--admin", "--server",
                    "https://127.0.0.1:" + port}, new Environment(Map.of("HOME", home.toString(), "KUBECONFIG", kubeconfig.toString())),
                    System.out, System.err, System.in);
            assertEquals(0, exit);
            assertEquals("demo", Kubeconfig.read(kubeconfig).getCurrentContext());
            String namespaces = ExternalProcess.run(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
                    "get", "namespaces", "-o", "name"), env);
            assertTrue(namespaces.contains("namespace/kube-system"), namespaces);

            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int taken = Tug.run(new String[] {"server", "--data-dir", dir.resolve("data").toString(), "--listen",
                    "127.0.0.1:" + ExternalProcess.freePort()}, new Environment(env), System.out, err, System.in);
            assertEquals(1, taken, "a data directory in use by a running server");
            assertTrue(err.toString().startsWith("Error: cannot open the store in "), err.toString());
            assertEquals(1, err.toString().lines().count(), err.toString());
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** An HTTP client holding the admin kubeconfig's client certificate and trusting its CA. */
    private static HttpClient client(Path kubeconfig) throws Exception {
        return HttpClient.newBuilder().sslContext(Kubeconfig.connection(kubeconfig).tls())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }
}
