package dev.tug.state.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of the GCS JSON API that the Google Cloud Java client uses for Tug's state: buckets (get, create),
 * objects (multipart upload, metadata, media download, list by prefix, delete) and the generation
 * preconditions (ifGenerationMatch, 0 meaning "must not exist") with 412 answers.
 *
 * <p>It exists because no GCS stand-in that runs offline here honours preconditions: firebase-tools' storage
 * emulator needs Java 21 plus a downloaded rules jar and ignores ifGenerationMatch, and google-cloud-nio's
 * LocalStorageHelper rejects every precondition. Tests pair it with LocalStorageHelper for the rest.
 */
public final class GcsApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record StoredObject(byte[] data, long generation, String contentType) {
    }

    private final HttpServer server;
    private final Set<String> buckets = ConcurrentHashMap.newKeySet();
    /** bucket -> name -> object; sorted so listing is in name order like GCS. */
    private final Map<String, TreeMap<String, StoredObject>> objects = new HashMap<>();
    private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);

    private GcsApiServer(HttpServer server) {
        this.server = server;
    }

    public static GcsApiServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            GcsApiServer gcs = new GcsApiServer(server);
            server.createContext("/", gcs::handle);
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
            server.start();
            return gcs;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For STORAGE_EMULATOR_HOST. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void createBucket(String bucket) {
        buckets.add(bucket);
    }

    /** What is stored under a name, read directly: an independent check of what the client did. */
    public synchronized byte[] object(String bucket, String name) {
        StoredObject object = objects.getOrDefault(bucket, new TreeMap<>()).get(name);
        return object == null ? null : object.data();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            String[] parts = path.split("/");
            if (path.startsWith("/upload/storage/v1/b/") && parts.length == 7 && method.equals("POST")) {
                upload(exchange, decode(parts[5]), query);
            } else if (path.startsWith("/download/storage/v1/b/") && parts.length == 8) {
                media(exchange, decode(parts[5]), decode(parts[7]), query);
            } else if (path.equals("/storage/v1/b") && method.equals("POST")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                buckets.add(body.get("name").asText());
                send(exchange, 200, bucketJson(body.get("name").asText()));
            } else if (path.startsWith("/storage/v1/b/") && parts.length == 5 && method.equals("GET")) {
                String bucket = decode(parts[4]);
                if (buckets.contains(bucket)) {
                    send(exchange, 200, bucketJson(bucket));
                } else {
                    error(exchange, 404, "The specified bucket does not exist.");
                }
            } else if (path.startsWith("/storage/v1/b/") && parts.length == 6 && parts[5].equals("o")) {
                list(exchange, decode(parts[4]), query);
            } else if (path.startsWith("/storage/v1/b/") && parts.length == 7 && parts[5].equals("o")) {
                object(exchange, method, decode(parts[4]), decode(parts[6]), query);
            } else {
                error(exchange, 501, "not implemented by the test server: " + method + " " + path);
            }
        } catch (RuntimeException | IOException e) {
            error(exchange, 500, String.valueOf(e));
        }
    }

    private void object(HttpExchange exchange, String method, String bucket, String name, Map<String, String> query)
            throws IOException {
        if ("media".equals(query.get("alt"))) {
            media(exchange, bucket, name, query);
            return;
        }
        synchronized (this) {
            StoredObject current = bucket(bucket).get(name);
            if (current == null || query.containsKey("generation")
                    && Long.parseLong(query.get("generation")) != current.generation()) {
                error(exchange, 404, "No such object: " + bucket + "/" + name);
                return;
            }
            if (!preconditionHolds(current, query)) {
                error(exchange, 412, "At least one of the pre-conditions you specified did not hold.");
                return;
            }
            if (method.equals("DELETE")) {
                bucket(bucket).remove(name);
                exchange.sendResponseHeaders(204, -1);
            } else {
                send(exchange, 200, objectJson(bucket, name, current));
            }
        }
    }

    private void media(HttpExchange exchange, String bucket, String name, Map<String, String> query)
            throws IOException {
        StoredObject current;
        synchronized (this) {
            current = bucket(bucket).get(name);
        }
        if (current == null || query.containsKey("generation")
                && Long.parseLong(query.get("generation")) != current.generation()) {
            error(exchange, 404, "No such object: " + bucket + "/" + name);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", current.contentType());
        exchange.getResponseHeaders().add("x-goog-generation", String.valueOf(current.generation()));
        exchange.sendResponseHeaders(200, current.data().length == 0 ? -1 : current.data().length);
        exchange.getResponseBody().write(current.data());
    }

    /** uploadType=multipart: a JSON metadata part, then the media part, in multipart/related. */
    private void upload(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        byte[] body = exchange.getRequestBody().readAllBytes();
        // The Google HTTP client gzips upload bodies.
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
        }
        if (!"multipart".equals(query.get("uploadType")) || contentType == null || !contentType.contains("boundary=")) {
            error(exchange, 501, "the test server takes only multipart uploads, got " + query.get("uploadType"));
            return;
        }
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "");
        byte[][] parts = multipartParts(body, boundary);
        JsonNode metadata = JSON.readTree(partBody(parts[0]));
        byte[] media = partBody(parts[1]);
        String name = metadata.get("name").asText();
        synchronized (this) {
            if (!buckets.contains(bucket)) {
                error(exchange, 404, "The specified bucket does not exist.");
                return;
            }
            StoredObject current = bucket(bucket).get(name);
            if (!preconditionHolds(current, query)) {
                error(exchange, 412, "At least one of the pre-conditions you specified did not hold.");
                return;
            }
            String type = metadata.hasNonNull("contentType") ? metadata.get("contentType").asText()
                    : "application/octet-stream";
            StoredObject stored = new StoredObject(media, generations.incrementAndGet(), type);
            bucket(bucket).put(name, stored);
            send(exchange, 200, objectJson(bucket, name, stored));
        }
    }

    private void list(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
        String prefix = query.getOrDefault("prefix", "");
        ObjectNode response = JSON.createObjectNode().put("kind", "storage#objects");
        ArrayNode items = response.putArray("items");
        synchronized (this) {
            if (!buckets.contains(bucket)) {
                error(exchange, 404, "The specified bucket does not exist.");
                return;
            }
            bucket(bucket).forEach((name, object) -> {
                if (name.startsWith(prefix)) {
                    items.add(objectJson(bucket, name, object));
                }
            });
        }
        send(exchange, 200, response);
    }

    private static boolean preconditionHolds(StoredObject current, Map<String, String> query) {
        String expected = query.get("ifGenerationMatch");
        if (expected == null) {
            return true;
        }
        long generation = Long.parseLong(expected);
        return generation == 0 ? current == null : current != null && current.generation() == generation;
    }

    private TreeMap<String, StoredObject> bucket(String bucket) {
        return objects.computeIfAbsent(bucket, b -> new TreeMap<>());
    }

    private static ObjectNode bucketJson(String bucket) {
        return JSON.createObjectNode().put("kind", "storage#bucket").put("id", bucket).put("name", bucket)
                .put("location", "US").put("storageClass", "STANDARD").put("metageneration", "1");
    }

    private static ObjectNode objectJson(String bucket, String name, StoredObject object) {
        return JSON.createObjectNode().put("kind", "storage#object")
                .put("id", bucket + "/" + name + "/" + object.generation())
                .put("name", name).put("bucket", bucket)
                .put("generation", String.valueOf(object.generation())).put("metageneration", "1")
                .put("contentType", object.contentType()).put("size", String.valueOf(object.data().length));
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode inner = error.putObject("error").put("code", status).put("message", message);
        inner.putArray("errors").addObject().put("message", message).put("domain", "global")
                .put("reason", status == 412 ? "conditionNotMet" : status == 404 ? "notFound" : "backendError");
        send(exchange, status, error);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The parts between "--boundary" lines, each still with its headers. */
    private static byte[][] multipartParts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        java.util.List<byte[]> parts = new java.util.ArrayList<>();
        int start = indexOf(body, delimiter, 0);
        while (start >= 0) {
            int contentStart = start + delimiter.length;
            if (contentStart + 1 < body.length && body[contentStart] == '-' && body[contentStart + 1] == '-') {
                break;
            }
            int next = indexOf(body, delimiter, contentStart);
            if (next < 0) {
                break;
            }
            int from = contentStart + 2; // CRLF after the delimiter
            int to = next - 2; // CRLF before the next delimiter
            parts.add(Arrays.copyOfRange(body, from, Math.max(from, to)));
            start = next;
        }
        if (parts.size() != 2) {
            throw new IllegalArgumentException("expected metadata and media parts, got " + parts.size());
        }
        return parts.toArray(byte[][]::new);
    }

    private static byte[] partBody(byte[] part) {
        int split = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        return split < 0 ? part : Arrays.copyOfRange(part, split + 4, part.length);
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
