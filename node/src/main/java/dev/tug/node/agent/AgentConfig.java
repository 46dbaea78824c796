package dev.tug.node.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How {@code tug agent} runs.
 *
 * @param kubeconfig credentials and address of the API server
 * @param nodeName the Node it registers
 * @param address the node's address: pods' hostIP, where the agent serves logs
 * @param dataDirectory pods' directories (volumes, logs) live under it
 * @param runtime {@code process} or {@code docker}
 * @param labels extra Node labels
 * @param taints taints registered with the Node ({@code key=value:Effect})
 * @param port the agent's own port (logs), 0 for any
 * @param maxPods the Node's pod capacity
 * @param heartbeat how often the Node's status is renewed
 * @param backoffBase the first crash-loop back-off (Kubernetes: 10 s)
 * @param dockerHost the Docker Engine API address for the docker runtime
 * @param sandboxImage the docker runtime's per-pod sandbox image (holds the pod's network)
 * @param containerUlimit nofile/nproc limit for docker containers, 0 for the engine's default
 * @param clusterDomain the DNS domain of Services ({@code cluster.local})
 * @param clusterDns the address cluster DNS is served on; null for the kube-dns Service's cluster IP
 * @param clusterDnsPort the port cluster DNS is served on (53 unless testing)
 */
public record AgentConfig(Path kubeconfig, String nodeName, String address, Path dataDirectory, String runtime,
        Map<String, String> labels, List<String> taints, int port, int maxPods, Duration heartbeat, Duration backoffBase,
        String dockerHost, String sandboxImage, long containerUlimit, String clusterDomain, String clusterDns,
        int clusterDnsPort) {
}
