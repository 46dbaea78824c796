package dev.tug.bench;

import dev.tug.controlplane.dashboard.DashboardServer;
import dev.tug.controlplane.server.ApiServer;
import dev.tug.controlplane.server.ServerConfig;
import dev.tug.controlplane.server.TlsFiles;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the dashboard's pages cost: the answer time of the calls a page makes every two seconds, on a cluster
 * with many workloads. The API server and the dashboard run in this JVM on loopback (HTTPS with the token
 * between them, as in a cluster); there is no node agent, so the pods stay Pending, which costs the same to list.
 */
public final class DashboardBench {
    private static final String TOKEN = "bench-token";
    private static final int DEPLOYMENTS = Integer.getInteger("deployments", 50);
    private static final int REPLICAS = 4;
    private static final int ROUNDS = 60;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tug-dashboard-bench");
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), TOKEN + ",admin,admin,\"system:masters\"\n");
        try (ApiServer server = ApiServer.start(new ServerConfig("127.0.0.1", 0, dir.resolve("data"), null, null, null,
                tokens, "v1.32.0"));
             DashboardServer dashboard = DashboardServer.start("127.0.0.1", 0, server.url(),
                     TlsFiles.trustContext(Files.readString(dir.resolve("data/pki/ca.crt"))), null, null)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + dashboard.port() + "/";
            for (int i = 0; i < DEPLOYMENTS; i++) {
                String app = "{\"namespace\":\"default\",\"name\":\"app-" + i + "\",\"image\":\"nginx\",\"replicas\":"
                        + REPLICAS + ",\"port\":\"80\",\"exposure\":\"internal\"}";
                send(http, "POST", base + "api/apps", app, 201);
            }
            int pods = DEPLOYMENTS * REPLICAS;
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!send(http, "GET", base + "api/overview", null, 200).contains("\"total\":" + pods)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the controllers did not make " + pods + " pods in 2 minutes");
                }
                Thread.sleep(200);
            }
            String pod = send(http, "GET", base + "api/list/pods?namespace=default&labelSelector=app%3Dapp-0", null, 200)
                    .replaceAll("(?s).*?\"name\":\"(app-0-[^\"]+)\".*", "$1");
            System.out.printf("Dashboard API on this machine: %d deployments, %d pods, %d services; %d calls each"
                    + " after warm-up (ms)%n%n", DEPLOYMENTS, pods, DEPLOYMENTS + 1, ROUNDS);
            System.out.printf("%-44s %8s %8s %8s %10s%n", "call (what the page polls)", "median", "p90", "max", "bytes");
            measure(http, "overview (all namespaces)", base + "api/overview");
            measure(http, "list pods, all namespaces", base + "api/list/pods");
            measure(http, "list deployments, namespace default", base + "api/list/deployments?namespace=default");
            measure(http, "deployment page (pods, events, YAML)", base + "api/object/deployments/default/app-0");
            measure(http, "pod page (owner chain, events, YAML)", base + "api/object/pods/default/" + pod);
            measure(http, "static page (index.html)", base);
        }
    }

    private static void measure(HttpClient http, String label, String url) throws Exception {
        for (int i = 0; i < 10; i++) {
            send(http, "GET", url, null, 200);
        }
        List<Double> millis = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < ROUNDS; i++) {
            long started = System.nanoTime();
            bytes = send(http, "GET", url, null, 200).length();
            millis.add((System.nanoTime() - started) / 1e6);
        }
        Collections.sort(millis);
        System.out.printf("%-44s %8.1f %8.1f %8.1f %10d%n", label, millis.get(ROUNDS / 2), millis.get(ROUNDS * 9 / 10),
                millis.get(ROUNDS - 1), bytes);
    }

    private static String send(HttpClient http, String method, String url, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("X-Dashboard-Token", TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
