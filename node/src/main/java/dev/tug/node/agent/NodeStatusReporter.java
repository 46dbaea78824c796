package dev.tug.node.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers this machine as a Node (capacity, addresses, labels, taints) and renews its status
 * on every heartbeat, which is how the control plane knows the node is alive.
 */
final class NodeStatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusReporter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LOG_TOKEN_ANNOTATION = "tug.dev/agent-token";

    private final KubernetesClient client;
    private final AgentConfig config;
    private final String runtimeName;
    private final String token;
    private volatile int port;
    private volatile String podCidr;
    private Instant readySince = Instant.now();

    NodeStatusReporter(KubernetesClient client, AgentConfig config, String runtimeName, String token) {
        this.client = client;
        this.config = config;
        this.runtimeName = runtimeName;
        this.token = token;
    }

    String podCidr() {
        return podCidr;
    }

    /** Creates the Node, or takes over the existing one keeping what others set (labels, taints). */
    void register(int agentPort) {
        this.port = agentPort;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", config.nodeName());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", arch());
        labels.putAll(config.labels());
        Node existing = client.nodes().withName(config.nodeName()).get();
        if (existing == null) {
            client.nodes().resource(new NodeBuilder()
                    .withNewMetadata().withName(config.nodeName()).withLabels(labels)
                    .addToAnnotations(LOG_TOKEN_ANNOTATION, token).endMetadata()
                    .withNewSpec().withTaints(taints()).endSpec()
                    .build()).create();
        } else {
            // a merge patch, not a read-modify-write: controllers write the Node all the time, and a
            // conflict here would stop the agent from starting
            ObjectNode patch = JSON.createObjectNode();
            ObjectNode metadata = patch.putObject("metadata");
            labels.forEach(metadata.putObject("labels")::put);
            metadata.putObject("annotations").put(LOG_TOKEN_ANNOTATION, token);
            client.nodes().withName(config.nodeName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        }
        heartbeat();
    }

    private List<Taint> taints() {
        List<Taint> taints = new ArrayList<>();
        for (String text : config.taints()) {
            String[] keyAndEffect = text.split(":", 2);
            String[] keyValue = keyAndEffect[0].split("=", 2);
            taints.add(new TaintBuilder().withKey(keyValue[0]).withValue(keyValue.length > 1 ? keyValue[1] : null)
                    .withEffect(keyAndEffect.length > 1 ? keyAndEffect[1] : "NoSchedule").build());
        }
        return taints;
    }

    /** Renews the node's status; failures are logged and the next beat tries again. */
    void heartbeat() {
        try {
            Node node = client.nodes().withName(config.nodeName()).get();
            if (node == null) {
                register(port);
                return;
            }
            podCidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
            ObjectNode patch = JSON.createObjectNode();
            patch.set("status", status());
            client.nodes().withName(config.nodeName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
        } catch (KubernetesClientException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warn("node {}: heartbeat failed: {}", config.nodeName(), e.getMessage());
        }
    }

    private ObjectNode status() {
        ObjectNode status = JSON.createObjectNode();
        ObjectNode capacity = status.putObject("capacity");
        capacity.put("cpu", Integer.toString(Runtime.getRuntime().availableProcessors()));
        capacity.put("memory", (memoryBytes() / 1024) + "Ki");
        capacity.put("pods", Integer.toString(config.maxPods()));
        capacity.put("ephemeral-storage", (config.dataDirectory().toFile().getTotalSpace() / 1024) + "Ki");
        status.set("allocatable", capacity.deepCopy());
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", config.address());
        addresses.addObject().put("type", "Hostname").put("address", config.nodeName());
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", port);
        ObjectNode info = status.putObject("nodeInfo");
        info.put("kubeletVersion", "v1.32.0-tug");
        info.put("kubeProxyVersion", "v1.32.0-tug");
        info.put("containerRuntimeVersion", runtimeName + "://tug");
        info.put("operatingSystem", "linux");
        info.put("architecture", arch());
        info.put("osImage", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        info.put("kernelVersion", System.getProperty("os.version"));
        info.put("machineID", "");
        info.put("systemUUID", "");
        info.put("bootID", "");
        String now = Instant.now().toString();
        ArrayNode conditions = status.putArray("conditions");
        for (String pressure : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
            ObjectNode condition = conditions.addObject();
            condition.put("type", pressure).put("status", "False").put("reason", "KubeletHasSufficient" + pressure.replace("Pressure", ""));
            condition.put("lastHeartbeatTime", now).put("lastTransitionTime", readySince.toString());
        }
        ObjectNode ready = conditions.addObject();
        ready.put("type", "Ready").put("status", "True").put("reason", "KubeletReady")
                .put("message", "tug agent is posting ready status");
        ready.put("lastHeartbeatTime", now).put("lastTransitionTime", readySince.toString());
        return status;
    }

    private static long memoryBytes() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
            return bean.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }
}
