package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.scheduler.NodeAffinity;
import dev.tug.controlplane.scheduler.Tolerations;

import java.util.List;
import java.util.Map;

/**
 * Which nodes a DaemonSet's pods belong on, decided as Kubernetes' {@code NodeShouldRunDaemonPod}
 * does: node name, nodeSelector and required node affinity must match; a taint the pod does not
 * tolerate keeps a new pod off the node, but only a NoExecute one removes a pod already there.
 * Node readiness, spec.unschedulable and deletion play no part: daemons tolerate the taints those
 * states bring (unschedulable, not-ready, unreachable), so cordoned and failing nodes keep them.
 */
final class DaemonPlacement {

    /** Whether a pod should be created on the node, and whether one already there may stay. */
    record Verdict(boolean shouldRun, boolean shouldContinueRunning) {
    }

    /** Tolerations Kubernetes gives every daemon pod, so node trouble neither evicts nor blocks daemons. */
    private static final List<String[]> DAEMON_TOLERATIONS = List.of(
            new String[] {"node.kubernetes.io/not-ready", "NoExecute"},
            new String[] {"node.kubernetes.io/unreachable", "NoExecute"},
            new String[] {"node.kubernetes.io/disk-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/memory-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/pid-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/unschedulable", "NoSchedule"});
    /** Host-network daemons (CNI plugins, kube-proxy) are what makes the network available. */
    private static final String[] NETWORK_UNAVAILABLE = {"node.kubernetes.io/network-unavailable", "NoSchedule"};

    private DaemonPlacement() {
    }

    /**
     * The DaemonSet's pod template with the daemon tolerations. A toleration of the same key,
     * operator and effect is replaced, as Kubernetes does: tolerationSeconds on not-ready or
     * unreachable would evict a daemon, and daemons stay.
     */
    static ObjectNode podTemplate(JsonNode daemonSet) {
        ObjectNode template = daemonSet.path("spec").path("template").deepCopy();
        ObjectNode spec = template.with("spec");
        List<String[]> wanted = new java.util.ArrayList<>(DAEMON_TOLERATIONS);
        if (spec.path("hostNetwork").asBoolean(false)) {
            wanted.add(NETWORK_UNAVAILABLE);
        }
        ArrayNode tolerations = spec.withArray("tolerations");
        for (String[] taint : wanted) {
            for (int i = tolerations.size() - 1; i >= 0; i--) {
                JsonNode t = tolerations.get(i);
                if (taint[0].equals(t.path("key").asText()) && taint[1].equals(t.path("effect").asText())
                        && "Exists".equals(t.path("operator").asText())) {
                    tolerations.remove(i);
                }
            }
            tolerations.addObject().put("key", taint[0]).put("operator", "Exists").put("effect", taint[1]);
        }
        return template;
    }

    /** Where a pod made from {@code template} (see {@link #podTemplate}) belongs. */
    static Verdict of(JsonNode template, JsonNode node) {
        String pinned = Json.text(template, "spec", "nodeName");
        if (pinned != null && !pinned.isEmpty() && !pinned.equals(ObjectMetadata.name(node))) {
            return new Verdict(false, false);
        }
        Map<String, String> selector = ObjectMetadata.stringMap(template.path("spec").path("nodeSelector"));
        if (!ObjectMetadata.labels(node).entrySet().containsAll(selector.entrySet()) || !NodeAffinity.matches(template, node)) {
            return new Verdict(false, false);
        }
        boolean blocked = false;
        boolean evicted = false;
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if ((effect.equals("NoSchedule") || effect.equals("NoExecute")) && !Tolerations.tolerates(template, taint)) {
                blocked = true;
                evicted |= effect.equals("NoExecute");
            }
        }
        return new Verdict(!blocked, !evicted);
    }
}
