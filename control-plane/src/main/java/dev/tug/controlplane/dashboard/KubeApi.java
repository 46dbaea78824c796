package dev.tug.controlplane.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.admission.Names;
import dev.tug.controlplane.api.Json;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The API server as the signed-in operator sees it: every call carries the operator's own bearer token,
 * so the dashboard can do exactly what that token may do and holds no credentials of its own.
 */
final class KubeApi {
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String server;
    private final HttpClient http;

    KubeApi(String server, SSLContext tls) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    JsonNode get(String token, String path) {
        return send(token, "GET", path, null, null, "application/json");
    }

    /** The server-side Table of a list or object: the columns kubectl prints. */
    JsonNode table(String token, String path) {
        return send(token, "GET", path, null, null, TABLE);
    }

    JsonNode send(String token, String method, String path, JsonNode body, String contentType) {
        return send(token, method, path, body, contentType, "application/json");
    }

    private JsonNode send(String token, String method, String path, JsonNode body, String contentType, String accept) {
        HttpRequest.Builder request = request(token, path).timeout(TIMEOUT).header("Accept", accept)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
        if (body != null) {
            request.header("Content-Type", contentType == null ? "application/json" : contentType);
        }
        HttpResponse<byte[]> response = call(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode answer = response.body().length == 0 ? Json.object() : parse(response.body());
        if (response.statusCode() >= 300) {
            throw failure(response.statusCode(), answer);
        }
        return answer;
    }

    /** A streamed answer (pod logs); the caller closes it. */
    InputStream stream(String token, String path) throws IOException {
        HttpResponse<InputStream> response = call(request(token, path).header("Accept", "*/*").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            try (InputStream in = response.body()) {
                throw failure(response.statusCode(), parse(in.readAllBytes()));
            }
        }
        return response.body();
    }

    private HttpRequest.Builder request(String token, String path) {
        return HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + token);
    }

    private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new DashboardException(502, "cannot reach the API server at " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DashboardException(503, "interrupted");
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.object().put("message", new String(body, StandardCharsets.UTF_8).strip());
        }
    }

    /** The API server's Status message, which already says what was wrong. */
    private static DashboardException failure(int status, JsonNode answer) {
        String message = answer.path("message").asText("");
        if (status == 401) {
            message = "the token was not accepted by the API server; get one with `tug get secrets admin --name CLUSTER`";
        }
        return new DashboardException(status, message.isEmpty() ? "the API server answered " + status : message);
    }

    /** A query string from the parameters that have values. */
    static String query(Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((key, value) -> {
            if (value != null && !value.isEmpty()) {
                query.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    static void checkName(String what, String value) {
        if (value == null || !Names.dns1123Subdomain(value).isEmpty()) {
            throw new DashboardException(400, what + " \"" + value + "\" is not a valid name: lower-case letters,"
                    + " digits, '-' and '.', starting and ending with a letter or digit");
        }
    }
}
