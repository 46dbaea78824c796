package dev.tug.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tug.controlplane.server.TlsFiles;
import dev.tug.state.CertificateAuthority;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A cluster's API server as tug itself uses it: with a short-lived cluster-admin certificate from the cluster's CA. */
final class ClusterApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String server;
    private final HttpClient http;

    private ClusterApi(String server, HttpClient http) {
        this.server = server;
        this.http = http;
    }

    static ClusterApi admin(CertificateAuthority ca, String server) throws IOException {
        var admin = AdminCredentials.issue(ca, Duration.ofHours(1));
        return new ClusterApi(server, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .sslContext(TlsFiles.clientContext(admin.certificatePem(), admin.privateKeyPem(), ca.certificatePem()))
                .build());
    }

    String server() {
        return server;
    }

    /** The body of a 200 answer; empty when the server does not answer or answers otherwise. */
    Optional<String> get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The JSON body of a 200 answer; empty when the server does not answer or answers otherwise. */
    Optional<JsonNode> getJson(String path) {
        return get(path).map(body -> {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UserException("the API server answered something that is not JSON: " + e.getMessage());
            }
        });
    }

    /** The answer to a JSON request: its status and body. Fails when the server cannot be reached. */
    Answer send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(15))
                .header("Accept", "application/json");
        try {
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), answer);
        } catch (IOException e) {
            throw new UserException("cannot reach the API server at " + server + ": " + e.getMessage()
                    + "; is the cluster up? (`tug validate cluster NAME`)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted");
        }
    }

    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The API server's own message, for errors. */
        String message() {
            return body.path("message").asText("HTTP " + status);
        }
    }
}
