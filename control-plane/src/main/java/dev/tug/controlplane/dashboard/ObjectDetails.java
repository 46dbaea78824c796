package dev.tug.controlplane.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.tables.PodTable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One object's page: its YAML, the events about it, the chain of owners above it, the pods it stands for
 * and a few lines that say what it is. Secret values stay hidden unless the operator asks for them.
 */
final class ObjectDetails {
    static final String HIDDEN = "<hidden>";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
    private static final int OWNER_DEPTH = 8;

    private final KubeApi api;

    ObjectDetails(KubeApi api) {
        this.api = api;
    }

    ObjectNode build(String token, DashboardResource resource, String namespace, String name, boolean reveal) {
        JsonNode object = api.get(token, resource.path(namespace, name));
        JsonNode metadata = object.path("metadata");
        ObjectNode page = Json.object().put("resource", resource.plural).put("kind", resource.kind)
                .put("name", name).put("namespace", metadata.path("namespace").asText(""))
                .put("uid", metadata.path("uid").asText("")).put("created", metadata.path("creationTimestamp").asText(""));
        page.put("yaml", yaml(resource == DashboardResource.SECRETS && !reveal ? hideValues(object) : object));
        page.set("summary", summary(resource, object));
        page.set("owners", owners(token, object));
        page.set("events", events(token, resource, object));
        page.set("pods", pods(token, resource, object));
        page.set("containers", resource == DashboardResource.PODS ? containers(object) : null);
        page.set("replicas", resource.scalable() ? Json.object().put("desired", object.path("spec").path("replicas").asInt(1))
                .put("ready", object.path("status").path("readyReplicas").asInt(0)) : null);
        ArrayNode actions = page.putArray("actions");
        if (resource.scalable()) {
            actions.add("scale");
        }
        if (resource.restartable()) {
            actions.add("restart");
        }
        if (resource != DashboardResource.EVENTS) {
            actions.add("delete");
        }
        if (resource == DashboardResource.SECRETS) {
            ArrayNode keys = page.putArray("secretKeys");
            object.path("data").fieldNames().forEachRemaining(keys::add);
        } else {
            page.set("secretKeys", null);
        }
        return page;
    }

    static String yaml(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        // managedFields are bookkeeping for server-side apply and drown the object when read
        ((ObjectNode) copy.path("metadata")).remove("managedFields");
        try {
            return YAML.writeValueAsString(copy);
        } catch (IOException e) {
            throw new DashboardException(500, "cannot write YAML: " + e.getMessage());
        }
    }

    private static JsonNode hideValues(JsonNode secret) {
        ObjectNode copy = secret.deepCopy();
        if (copy.path("data").isObject()) {
            ObjectNode data = (ObjectNode) copy.path("data");
            List<String> keys = new ArrayList<>();
            data.fieldNames().forEachRemaining(keys::add);
            keys.forEach(key -> data.put(key, HIDDEN));
        }
        // kubectl apply keeps the whole object, values included, in this annotation
        JsonNode annotations = copy.path("metadata").path("annotations");
        if (annotations.isObject() && annotations.has("kubectl.kubernetes.io/last-applied-configuration")) {
            ((ObjectNode) annotations).put("kubectl.kubernetes.io/last-applied-configuration", HIDDEN);
        }
        return copy;
    }

    /** Owners from the direct one upwards, following each object's controller (or first) owner reference. */
    private ArrayNode owners(String token, JsonNode object) {
        ArrayNode chain = Json.MAPPER.createArrayNode();
        String namespace = object.path("metadata").path("namespace").asText("");
        JsonNode current = object;
        for (int depth = 0; depth < OWNER_DEPTH; depth++) {
            JsonNode owner = controllerReference(current);
            if (owner == null) {
                break;
            }
            String kind = owner.path("kind").asText();
            String ownerName = owner.path("name").asText();
            var resource = DashboardResource.ofKind(kind);
            chain.addObject().put("kind", kind).put("resource", resource.map(r -> r.plural).orElse(null))
                    .put("name", ownerName).put("namespace", resource.map(r -> r.namespaced).orElse(true) ? namespace : "");
            if (resource.isEmpty()) {
                break;
            }
            try {
                current = api.get(token, resource.get().path(namespace, ownerName));
            } catch (DashboardException e) {
                if (e.status() == 404) {
                    break; // the owner is gone; garbage collection will follow
                }
                throw e;
            }
        }
        return chain;
    }

    private static JsonNode controllerReference(JsonNode object) {
        JsonNode first = null;
        for (JsonNode reference : object.path("metadata").path("ownerReferences")) {
            if (reference.path("controller").asBoolean(false)) {
                return reference;
            }
            first = first == null ? reference : first;
        }
        return first;
    }

    private ArrayNode events(String token, DashboardResource resource, JsonNode object) {
        String namespace = object.path("metadata").path("namespace").asText("");
        String selector = "involvedObject.kind=" + resource.kind + ",involvedObject.name="
                + object.path("metadata").path("name").asText();
        JsonNode list = api.get(token, DashboardResource.EVENTS.path(namespace, null)
                + KubeApi.query(Map.of("fieldSelector", selector)));
        List<JsonNode> events = new ArrayList<>();
        String uid = object.path("metadata").path("uid").asText();
        list.path("items").forEach(e -> {
            String about = e.path("involvedObject").path("uid").asText("");
            if (about.isEmpty() || about.equals(uid)) {
                events.add(e);
            }
        });
        events.sort(Overview.NEWEST_FIRST);
        ArrayNode result = Json.MAPPER.createArrayNode();
        events.forEach(e -> result.add(Overview.event(e)));
        return result;
    }

    /** The pods an object stands for, or null when it stands for none. */
    private JsonNode pods(String token, DashboardResource resource, JsonNode object) {
        String namespace = object.path("metadata").path("namespace").asText("");
        String name = object.path("metadata").path("name").asText();
        String query = switch (resource) {
            case NODES -> KubeApi.query(Map.of("fieldSelector", "spec.nodeName=" + name));
            case NAMESPACES -> "";
            case DEPLOYMENTS, REPLICASETS, DAEMONSETS, JOBS ->
                    selector(object.path("spec").path("selector").path("matchLabels"));
            case REPLICATIONCONTROLLERS, SERVICES -> selector(object.path("spec").path("selector"));
            default -> null;
        };
        if (query == null) {
            return null;
        }
        String podNamespace = resource == DashboardResource.NAMESPACES ? name
                : resource == DashboardResource.NODES ? null : namespace;
        ArrayNode pods = Json.MAPPER.createArrayNode();
        api.get(token, DashboardResource.PODS.path(podNamespace, null) + query).path("items")
                .forEach(pod -> pods.add(podRow(pod)));
        return pods;
    }

    /** A label selector query from matchLabels; an object without one selects nothing. */
    private static String selector(JsonNode labels) {
        if (!labels.isObject() || labels.isEmpty()) {
            return null;
        }
        StringJoiner selector = new StringJoiner(",");
        labels.fields().forEachRemaining(e -> selector.add(e.getKey() + "=" + e.getValue().asText()));
        return KubeApi.query(Map.of("labelSelector", selector.toString()));
    }

    /** A pod as its row shows it, with kubectl's STATUS, READY and RESTARTS. */
    static ObjectNode podRow(JsonNode pod) {
        PodTable.Status status = PodTable.status(pod);
        return Json.object().put("name", pod.path("metadata").path("name").asText())
                .put("namespace", pod.path("metadata").path("namespace").asText())
                .put("phase", status.reason())
                .put("ready", status.ready() + "/" + status.total())
                .put("restarts", status.restarts()).put("node", pod.path("spec").path("nodeName").asText(""))
                .put("created", pod.path("metadata").path("creationTimestamp").asText(""));
    }

    private static ArrayNode containers(JsonNode pod) {
        ArrayNode names = Json.MAPPER.createArrayNode();
        for (String field : List.of("containers", "initContainers")) {
            pod.path("spec").path(field).forEach(c -> names.add(c.path("name").asText()));
        }
        return names;
    }

    /** A few label / value lines that say what the object is, before the YAML. */
    private static ArrayNode summary(DashboardResource resource, JsonNode object) {
        Summary lines = new Summary();
        JsonNode spec = object.path("spec");
        JsonNode status = object.path("status");
        switch (resource) {
            case DEPLOYMENTS -> {
                lines.add("Replicas", spec.path("replicas").asInt(1) + " desired, " + status.path("updatedReplicas").asInt(0)
                        + " updated, " + status.path("readyReplicas").asInt(0) + " ready, "
                        + status.path("availableReplicas").asInt(0) + " available");
                lines.add("Strategy", spec.path("strategy").path("type").asText("RollingUpdate"));
                lines.add("Images", images(spec.path("template")));
            }
            case REPLICASETS, REPLICATIONCONTROLLERS -> {
                lines.add("Replicas", spec.path("replicas").asInt(1) + " desired, " + status.path("readyReplicas").asInt(0)
                        + " ready");
                lines.add("Images", images(spec.path("template")));
            }
            case DAEMONSETS -> {
                lines.add("Pods", status.path("desiredNumberScheduled").asInt(0) + " desired, "
                        + status.path("numberReady").asInt(0) + " ready");
                lines.add("Images", images(spec.path("template")));
            }
            case JOBS -> {
                lines.add("Completions", status.path("succeeded").asInt(0) + "/" + spec.path("completions").asInt(1));
                lines.add("Failed", String.valueOf(status.path("failed").asInt(0)));
                lines.add("Images", images(spec.path("template")));
            }
            case CRONJOBS -> {
                lines.add("Schedule", spec.path("schedule").asText());
                lines.add("Suspended", String.valueOf(spec.path("suspend").asBoolean(false)));
                lines.add("Last schedule", status.path("lastScheduleTime").asText("never"));
            }
            case PODS -> {
                lines.add("Status", PodTable.status(object).reason());
                lines.add("Node", spec.path("nodeName").asText("(not scheduled)"));
                lines.add("Pod IP", status.path("podIP").asText(""));
                lines.add("Images", images(object));
            }
            case SERVICES -> {
                lines.add("Type", spec.path("type").asText("ClusterIP"));
                lines.add("Cluster IP", spec.path("clusterIP").asText(""));
                List<String> ports = new ArrayList<>();
                spec.path("ports").forEach(p -> ports.add(p.path("port").asText() + "/" + p.path("protocol").asText("TCP")
                        + (p.has("nodePort") ? " (node port " + p.path("nodePort").asText() + ")" : "")
                        + " -> " + p.path("targetPort").asText(p.path("port").asText())));
                lines.add("Ports", String.join(", ", ports));
            }
            case NODES -> {
                lines.add("Ready", String.valueOf(Overview.ready(object)));
                lines.add("Address", Overview.address(object));
                lines.add("Capacity", "cpu " + status.path("capacity").path("cpu").asText("?") + ", memory "
                        + status.path("capacity").path("memory").asText("?") + ", pods "
                        + status.path("capacity").path("pods").asText("?"));
                lines.add("Pod range", spec.path("podCIDR").asText(""));
                List<String> taints = new ArrayList<>();
                spec.path("taints").forEach(t -> taints.add(t.path("key").asText() + ":" + t.path("effect").asText()));
                lines.add("Taints", taints.isEmpty() ? "none" : String.join(", ", taints));
                lines.add("Version", status.path("nodeInfo").path("kubeletVersion").asText(""));
            }
            case NAMESPACES -> lines.add("Status", status.path("phase").asText("Active"));
            case CONFIGMAPS -> lines.add("Keys", keys(object.path("data")));
            case SECRETS -> {
                lines.add("Type", object.path("type").asText("Opaque"));
                lines.add("Keys", keys(object.path("data")));
            }
            default -> {
            }
        }
        lines.add("Labels", labels(object.path("metadata").path("labels")));
        return lines.array;
    }

    private static String images(JsonNode podOrTemplate) {
        List<String> images = new ArrayList<>();
        podOrTemplate.path("spec").path("containers").forEach(c -> images.add(c.path("image").asText()));
        return String.join(", ", images);
    }

    private static String keys(JsonNode data) {
        List<String> keys = new ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);
        return keys.isEmpty() ? "none" : String.join(", ", keys);
    }

    private static String labels(JsonNode labels) {
        List<String> pairs = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = labels.fields();
        fields.forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        return pairs.isEmpty() ? "none" : String.join(", ", pairs);
    }

    private static final class Summary {
        final ArrayNode array = Json.MAPPER.createArrayNode();

        void add(String label, String value) {
            array.addArray().add(label).add(value);
        }
    }
}
