package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.Fields.list;
import static dev.tug.controlplane.tables.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Cluster-scoped kinds: Namespace and Node. */
final class ClusterTables {

    static final KindTable NAMESPACE = new KindTable(List.of(
            Columns.NAME,
            Columns.string("Status", "The status of the namespace"),
            Columns.AGE),
            (namespace, now) -> List.of(
                    Fields.name(namespace), text(namespace, "status", "phase"), Fields.age(namespace, now)));

    static final KindTable NODE = new KindTable(List.of(
            Columns.NAME,
            Columns.string("Status", "The status of the node"),
            Columns.string("Roles", "The roles of the node"),
            Columns.AGE,
            Columns.string("Version", "Kubelet Version reported by the node."),
            Columns.wide("Internal-IP", "List of addresses reachable to the node."),
            Columns.wide("External-IP", "List of addresses reachable to the node."),
            Columns.wide("OS-Image", "OS Image reported by the node from /etc/os-release."),
            Columns.wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r'."),
            Columns.wide("Container-Runtime", "ContainerRuntime Version reported by the node through"
                    + " runtime remote API.")),
            ClusterTables::nodeCells);

    private static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
    /** The older way to give a node a role: the role is the label's value. */
    private static final String ROLE_LABEL = "kubernetes.io/role";

    private ClusterTables() {
    }

    private static List<Object> nodeCells(JsonNode node, Instant now) {
        JsonNode info = node.path("status").path("nodeInfo");
        return List.of(
                Fields.name(node),
                nodeStatus(node),
                Fields.orElse(String.join(",", roles(node)), "<none>"),
                Fields.age(node, now),
                text(info, "kubeletVersion"),
                address(node, "InternalIP"),
                address(node, "ExternalIP"),
                Fields.orElse(text(info, "osImage"), "<unknown>"),
                Fields.orElse(text(info, "kernelVersion"), "<unknown>"),
                Fields.orElse(text(info, "containerRuntimeVersion"), "<unknown>"));
    }

    /** "Ready", "NotReady" or "Unknown" (no Ready condition), plus ",SchedulingDisabled" when cordoned. */
    private static String nodeStatus(JsonNode node) {
        List<String> status = new ArrayList<>();
        String ready = Fields.conditionStatus(list(node, "status", "conditions"), "Ready");
        if (ready.isEmpty()) {
            status.add("Unknown");
        } else {
            status.add("True".equals(ready) ? "Ready" : "NotReady");
        }
        if (Fields.isTrue(node, "spec", "unschedulable")) {
            status.add("SchedulingDisabled");
        }
        return String.join(",", status);
    }

    /** Roles from node-role.kubernetes.io/ROLE labels and the kubernetes.io/role label, sorted. */
    private static TreeSet<String> roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        Fields.at(node, "metadata", "labels").fields().forEachRemaining(label -> {
            String key = label.getKey();
            if (key.startsWith(ROLE_LABEL_PREFIX) && key.length() > ROLE_LABEL_PREFIX.length()) {
                roles.add(key.substring(ROLE_LABEL_PREFIX.length()));
            } else if (key.equals(ROLE_LABEL) && !label.getValue().asText().isEmpty()) {
                roles.add(label.getValue().asText());
            }
        });
        return roles;
    }

    /** The first address of the given type, "<none>" when there is none. */
    private static String address(JsonNode node, String type) {
        return list(node, "status", "addresses").stream()
                .filter(address -> type.equals(text(address, "type")))
                .map(address -> text(address, "address"))
                .findFirst().orElse("<none>");
    }
}
