package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.Fields.conditionTrue;
import static dev.tug.controlplane.tables.Fields.list;
import static dev.tug.controlplane.tables.Fields.number;
import static dev.tug.controlplane.tables.Fields.present;
import static dev.tug.controlplane.tables.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Pods: READY "n/m", STATUS by kubectl's rules, RESTARTS with "(5m ago)". */
public final class PodTable {

    static final KindTable TABLE = new KindTable(List.of(
            Columns.NAME,
            Columns.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Columns.string("Status", "The aggregate status of the containers in this pod."),
            Columns.string("Restarts", "The number of times the containers in this pod have been restarted"
                    + " and when the last container in this pod has restarted."),
            Columns.AGE,
            Columns.wide("IP", "IP address allocated to the pod. Routable at least within the cluster."),
            Columns.wide("Node", "NodeName indicates in which node this pod is scheduled."),
            Columns.wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods"
                    + " on the node, but it cannot be scheduled right away as preemption victims receive their"
                    + " graceful termination periods."),
            Columns.wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod"
                    + " readiness.")),
            PodTable::cells, PodTable::rowConditions);

    /** The pod's node has gone away; a pod being deleted there shows as Unknown. */
    private static final String NODE_LOST = "NodeLost";

    private PodTable() {
    }

    /** What the container statuses add up to; filled by walking init containers, then containers. */
    private static final class Summary {
        String reason;
        int ready;
        long restarts;
        Instant lastRestart;
        long sidecarRestarts;
        Instant lastSidecarRestart;
        boolean initializing;
        long total;
    }

    /** A pod's STATUS, READY (ready of total containers) and RESTARTS as {@code kubectl get pods} shows them. */
    public record Status(String reason, int ready, long total, long restarts) {
    }

    public static Status status(JsonNode pod) {
        Summary summary = summarize(pod);
        return new Status(summary.reason, summary.ready, summary.total, summary.restarts);
    }

    private static Summary summarize(JsonNode pod) {
        JsonNode status = pod.path("status");
        Set<String> sidecars = sidecarNames(pod);
        Summary summary = new Summary();
        summary.total = Fields.count(pod, "spec", "containers") + sidecars.size();
        summary.reason = Fields.orElse(text(status, "reason"), text(status, "phase"));
        if (isSchedulingGated(status)) {
            summary.reason = "SchedulingGated";
        }
        walkInitContainers(pod, sidecars, summary);
        List<JsonNode> conditions = list(status, "conditions");
        if (!summary.initializing || conditionTrue(conditions, "Initialized")) {
            walkContainers(status, summary);
        }
        if (present(pod, "metadata", "deletionTimestamp")) {
            if (NODE_LOST.equals(text(status, "reason"))) {
                summary.reason = "Unknown";
            } else if (!isTerminal(text(status, "phase"))) {
                summary.reason = "Terminating";
            }
        }
        return summary;
    }

    private static List<Object> cells(JsonNode pod, Instant now) {
        JsonNode status = pod.path("status");
        Summary summary = summarize(pod);
        String restarts = String.valueOf(summary.restarts);
        if (summary.restarts != 0 && summary.lastRestart != null) {
            restarts += " (" + Durations.since(summary.lastRestart, now) + " ago)";
        }
        return List.of(
                Fields.name(pod),
                summary.ready + "/" + summary.total,
                summary.reason,
                restarts,
                Fields.age(pod, now),
                Fields.orElse(podIp(status), "<none>"),
                Fields.orElse(text(pod, "spec", "nodeName"), "<none>"),
                Fields.orElse(text(status, "nominatedNodeName"), "<none>"),
                readinessGates(pod, list(status, "conditions")));
    }

    /** Init containers run in order; the first that has not finished decides the status. */
    private static void walkInitContainers(JsonNode pod, Set<String> sidecars, Summary summary) {
        List<JsonNode> statuses = list(pod, "status", "initContainerStatuses");
        long declared = Fields.count(pod, "spec", "initContainers");
        for (int i = 0; i < statuses.size(); i++) {
            JsonNode container = statuses.get(i);
            boolean sidecar = sidecars.contains(text(container, "name"));
            Instant finished = Fields.time(container, "lastState", "terminated", "finishedAt");
            summary.restarts += number(container, "restartCount");
            summary.lastRestart = later(summary.lastRestart, finished);
            if (sidecar) {
                summary.sidecarRestarts += number(container, "restartCount");
                summary.lastSidecarRestart = later(summary.lastSidecarRestart, finished);
            }
            JsonNode state = container.path("state");
            String waitingReason = text(state, "waiting", "reason");
            if (present(state, "terminated") && number(state, "terminated", "exitCode") == 0) {
                continue;
            }
            if (sidecar && Fields.isTrue(container, "started")) {
                summary.ready += Fields.isTrue(container, "ready") ? 1 : 0;
                continue;
            }
            if (present(state, "terminated")) {
                summary.reason = "Init:" + terminationReason(state.path("terminated"));
            } else if (!waitingReason.isEmpty() && !"PodInitializing".equals(waitingReason)) {
                summary.reason = "Init:" + waitingReason;
            } else {
                summary.reason = "Init:" + i + "/" + declared;
            }
            summary.initializing = true;
            return;
        }
    }

    /**
     * Walks the app containers last to first, so the first container with a waiting or
     * terminated reason gives the status. Only sidecar restarts carry over from init containers.
     */
    private static void walkContainers(JsonNode status, Summary summary) {
        summary.restarts = summary.sidecarRestarts;
        summary.lastRestart = summary.lastSidecarRestart;
        boolean hasRunning = false;
        List<JsonNode> statuses = list(status, "containerStatuses");
        for (int i = statuses.size() - 1; i >= 0; i--) {
            JsonNode container = statuses.get(i);
            JsonNode state = container.path("state");
            summary.restarts += number(container, "restartCount");
            summary.lastRestart = later(summary.lastRestart,
                    Fields.time(container, "lastState", "terminated", "finishedAt"));
            String waitingReason = text(state, "waiting", "reason");
            if (!waitingReason.isEmpty()) {
                summary.reason = waitingReason;
            } else if (present(state, "terminated")) {
                summary.reason = terminationReason(state.path("terminated"));
            } else if (Fields.isTrue(container, "ready") && present(state, "running")) {
                hasRunning = true;
                summary.ready++;
            }
        }
        // A pod whose finished container reads "Completed" while another still runs is not done.
        if ("Completed".equals(summary.reason) && hasRunning) {
            summary.reason = conditionTrue(list(status, "conditions"), "Ready") ? "Running" : "NotReady";
        }
    }

    private static String terminationReason(JsonNode terminated) {
        String reason = text(terminated, "reason");
        if (!reason.isEmpty()) {
            return reason;
        }
        long signal = number(terminated, "signal");
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + number(terminated, "exitCode");
    }

    /** Init containers with restartPolicy Always run beside the app and count as its containers. */
    private static Set<String> sidecarNames(JsonNode pod) {
        Set<String> names = new HashSet<>();
        for (JsonNode container : list(pod, "spec", "initContainers")) {
            if ("Always".equals(text(container, "restartPolicy"))) {
                names.add(text(container, "name"));
            }
        }
        return names;
    }

    private static boolean isSchedulingGated(JsonNode status) {
        return list(status, "conditions").stream().anyMatch(condition ->
                "PodScheduled".equals(text(condition, "type"))
                        && "SchedulingGated".equals(text(condition, "reason")));
    }

    private static boolean isTerminal(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static String podIp(JsonNode status) {
        List<JsonNode> ips = list(status, "podIPs");
        return ips.isEmpty() ? text(status, "podIP") : text(ips.get(0), "ip");
    }

    private static String readinessGates(JsonNode pod, List<JsonNode> conditions) {
        List<JsonNode> gates = list(pod, "spec", "readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        long met = gates.stream().filter(gate -> conditionTrue(conditions, text(gate, "conditionType"))).count();
        return met + "/" + gates.size();
    }

    private static Instant later(Instant current, Instant candidate) {
        return candidate != null && (current == null || candidate.isAfter(current)) ? candidate : current;
    }

    /** Finished pods carry a Completed row condition, as Kubernetes sends them. */
    private static ArrayNode rowConditions(JsonNode pod) {
        String phase = text(pod, "status", "phase");
        if (!isTerminal(phase)) {
            return null;
        }
        ArrayNode conditions = JsonNodeFactory.instance.arrayNode();
        conditions.addObject()
                .put("type", "Completed")
                .put("status", "True")
                .put("reason", phase)
                .put("message", "Succeeded".equals(phase) ? "The pod has completed successfully." : "The pod failed.");
        return conditions;
    }
}
