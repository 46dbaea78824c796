package dev.tug.controlplane.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.admission.Quantities;
import dev.tug.controlplane.api.Json;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The first page: every node with what its pods request of what it can give, how many of each workload
 * there are, pods by phase, and the most recent warnings. There is no metrics server, so "usage" is what
 * the scheduler counts: the requests of the pods bound to the node.
 */
final class Overview {
    private static final List<DashboardResource> COUNTED = List.of(DashboardResource.DEPLOYMENTS,
            DashboardResource.REPLICASETS, DashboardResource.DAEMONSETS, DashboardResource.JOBS,
            DashboardResource.SERVICES, DashboardResource.CONFIGMAPS, DashboardResource.SECRETS);
    private static final List<String> PHASES = List.of("Running", "Pending", "Succeeded", "Failed");
    private static final int WARNINGS = 20;

    private final KubeApi api;
    private final ExecutorService executor;

    Overview(KubeApi api, ExecutorService executor) {
        this.api = api;
        this.executor = executor;
    }

    /** @param namespace counts, pods and warnings of one namespace; null or empty for all */
    ObjectNode build(String token, String namespace) {
        // independent reads, fetched side by side: the page polls this every two seconds
        CompletableFuture<JsonNode> nodes = read(token, DashboardResource.NODES.path(null, null));
        CompletableFuture<JsonNode> namespaces = read(token, DashboardResource.NAMESPACES.path(null, null));
        CompletableFuture<JsonNode> allPods = read(token, DashboardResource.PODS.path(null, null));
        CompletableFuture<JsonNode> events = read(token, DashboardResource.EVENTS.path(namespace, null)
                + KubeApi.query(Map.of("fieldSelector", "type=Warning")));
        Map<DashboardResource, CompletableFuture<JsonNode>> counted = new LinkedHashMap<>();
        COUNTED.forEach(r -> counted.put(r, read(token, r.path(namespace, null))));

        ObjectNode overview = Json.object();
        overview.set("nodes", nodes(join(nodes), join(allPods)));
        ArrayNode names = overview.putArray("namespaces");
        join(namespaces).path("items").forEach(n -> names.add(n.path("metadata").path("name").asText()));
        ObjectNode counts = overview.putObject("counts");
        counted.forEach((resource, list) -> counts.put(resource.plural, join(list).path("items").size()));
        ObjectNode pods = counts.putObject("pods");
        int total = 0;
        Map<String, Integer> phases = new HashMap<>();
        for (JsonNode pod : join(allPods).path("items")) {
            if (namespace == null || namespace.isEmpty() || namespace.equals(pod.path("metadata").path("namespace").asText())) {
                total++;
                phases.merge(pod.path("status").path("phase").asText("Pending"), 1, Integer::sum);
            }
        }
        pods.put("total", total);
        PHASES.forEach(phase -> pods.put(phase, phases.getOrDefault(phase, 0)));
        overview.set("warnings", warnings(join(events)));
        return overview;
    }

    private CompletableFuture<JsonNode> read(String token, String path) {
        return CompletableFuture.supplyAsync(() -> api.get(token, path), executor);
    }

    private static JsonNode join(CompletableFuture<JsonNode> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static ArrayNode nodes(JsonNode nodes, JsonNode pods) {
        Map<String, List<JsonNode>> podsByNode = new HashMap<>();
        for (JsonNode pod : pods.path("items")) {
            String phase = pod.path("status").path("phase").asText();
            String node = pod.path("spec").path("nodeName").asText("");
            if (!node.isEmpty() && !phase.equals("Succeeded") && !phase.equals("Failed")) {
                podsByNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
            }
        }
        ArrayNode result = Json.MAPPER.createArrayNode();
        for (JsonNode node : nodes.path("items")) {
            String name = node.path("metadata").path("name").asText();
            List<JsonNode> running = podsByNode.getOrDefault(name, List.of());
            ObjectNode entry = result.addObject().put("name", name).put("ready", ready(node))
                    .put("roles", node.path("metadata").path("labels").has("node-role.kubernetes.io/control-plane")
                            ? "control-plane" : "")
                    .put("address", address(node));
            JsonNode allocatable = node.path("status").path("allocatable");
            entry.set("cpu", usage(allocatable.path("cpu").asText("0"), requested(running, "cpu"), true));
            entry.set("memory", usage(allocatable.path("memory").asText("0"), requested(running, "memory"), false));
            entry.putObject("pods").put("count", running.size()).put("capacity", allocatable.path("pods").asInt(0));
        }
        return result;
    }

    static boolean ready(JsonNode node) {
        for (JsonNode condition : node.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition.path("status").asText().equals("True");
            }
        }
        return false;
    }

    static String address(JsonNode node) {
        for (JsonNode address : node.path("status").path("addresses")) {
            if (address.path("type").asText().equals("InternalIP")) {
                return address.path("address").asText();
            }
        }
        return "";
    }

    private static BigDecimal requested(List<JsonNode> pods, String resource) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode pod : pods) {
            for (JsonNode container : pod.path("spec").path("containers")) {
                JsonNode request = container.path("resources").path("requests").path(resource);
                if (request.isTextual() || request.isNumber()) {
                    sum = sum.add(quantity(request.asText()));
                }
            }
        }
        return sum;
    }

    private static ObjectNode usage(String allocatable, BigDecimal requested, boolean cpu) {
        BigDecimal total = quantity(allocatable);
        int percent = total.signum() == 0 ? 0
                : requested.multiply(BigDecimal.valueOf(100)).divide(total, 0, RoundingMode.HALF_UP).intValue();
        return Json.object().put("allocatable", cpu ? allocatable : memory(total))
                .put("requested", cpu ? cpu(requested) : memory(requested))
                .put("percent", percent);
    }

    private static BigDecimal quantity(String text) {
        try {
            return Quantities.value(new Quantity(text));
        } catch (RuntimeException e) {
            return BigDecimal.ZERO;
        }
    }

    /** CPU as kubectl writes requests: whole cores, else millicores. */
    private static String cpu(BigDecimal cores) {
        BigDecimal milli = cores.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING);
        return milli.remainder(BigDecimal.valueOf(1000)).signum() == 0
                ? milli.divide(BigDecimal.valueOf(1000)).toPlainString() : milli.toPlainString() + "m";
    }

    private static String memory(BigDecimal bytes) {
        String[] units = {"", "Ki", "Mi", "Gi", "Ti"};
        BigDecimal value = bytes;
        int unit = 0;
        while (unit < units.length - 1 && value.compareTo(BigDecimal.valueOf(1024)) >= 0) {
            value = value.divide(BigDecimal.valueOf(1024), 1, RoundingMode.HALF_UP);
            unit++;
        }
        return value.stripTrailingZeros().toPlainString() + units[unit];
    }

    private static ArrayNode warnings(JsonNode events) {
        List<JsonNode> warnings = new ArrayList<>();
        events.path("items").forEach(e -> {
            if ("Warning".equals(e.path("type").asText())) {
                warnings.add(e);
            }
        });
        warnings.sort(NEWEST_FIRST);
        ArrayNode result = Json.MAPPER.createArrayNode();
        warnings.stream().limit(WARNINGS).forEach(e -> result.add(event(e)
                .put("namespace", e.path("involvedObject").path("namespace").asText(""))
                .put("kind", e.path("involvedObject").path("kind").asText(""))
                .put("name", e.path("involvedObject").path("name").asText(""))
                .put("resource", DashboardResource.ofKind(e.path("involvedObject").path("kind").asText())
                        .map(r -> r.plural).orElse(null))));
        return result;
    }

    /** The fields of an event every page shows. */
    static ObjectNode event(JsonNode e) {
        return Json.object().put("type", e.path("type").asText("Normal")).put("reason", e.path("reason").asText(""))
                .put("message", e.path("message").asText("")).put("count", e.path("count").asInt(1))
                .put("lastSeen", lastSeen(e))
                .put("source", e.path("source").path("component").asText(e.path("reportingComponent").asText("")));
    }

    /** Events newest first; timestamps come with and without fractions, so they are compared as instants. */
    static final Comparator<JsonNode> NEWEST_FIRST = Comparator.comparing((JsonNode e) -> instant(lastSeen(e))).reversed();

    private static java.time.Instant instant(String text) {
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.EPOCH;
        }
    }

    static String lastSeen(JsonNode e) {
        for (String field : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
            String value = e.path(field).asText("");
            if (!value.isEmpty() && !value.equals("null")) {
                return value;
            }
        }
        return e.path("metadata").path("creationTimestamp").asText("");
    }
}
