package dev.tug.cli;

import dev.tug.node.agent.Agent;
import dev.tug.node.agent.AgentConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "agent", description = {
        "Run the node agent: register this machine as a Node and run the pods scheduled to it.",
        "Stopping the agent leaves its pods running; the next agent on this node adopts them."},
        footer = {"", "Examples:",
                "  tug agent --kubeconfig /tmp/tug-server/admin.kubeconfig --node-name node-1 \\",
                "      --address 127.0.0.2 --data-dir /tmp/node-1",
                "  tug agent --kubeconfig /etc/tug/agent.kubeconfig --address 10.0.1.7 \\",
                "      --node-labels tier=web --register-with-taints dedicated=db:NoSchedule"})
final class AgentCommand extends TugCommand {
    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE",
            description = "Credentials and address of the API server (e.g. the server's admin.kubeconfig).")
    Path kubeconfig;

    @Option(names = "--node-name", paramLabel = "NAME", description = "The Node to register. Default: this host's name.")
    String nodeName;

    @Option(names = "--address", paramLabel = "IP", defaultValue = "127.0.0.1",
            description = "This node's address: pods' hostIP and where the agent serves logs. Default: ${DEFAULT-VALUE}.")
    String address;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/tug/agent",
            description = "Where pod directories (volumes, logs) live. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--runtime", paramLabel = "NAME", defaultValue = "process",
            description = "process (containers' commands as host processes) or docker (Docker Engine API). Default: ${DEFAULT-VALUE}.")
    String runtime;

    @Option(names = "--docker-host", paramLabel = "URL", defaultValue = "unix:///var/run/docker.sock",
            description = "Docker Engine API address for --runtime docker (Podman's socket works too). Default: ${DEFAULT-VALUE}.")
    String dockerHost;

    @Option(names = "--sandbox-image", paramLabel = "IMAGE", defaultValue = "registry.k8s.io/pause:3.10",
            description = "Image of the per-pod container that holds a pod's network with --runtime docker;"
                    + " it must keep running on its own. Default: ${DEFAULT-VALUE}.")
    String sandboxImage;

    @Option(names = "--container-ulimit", paramLabel = "N", defaultValue = "0",
            description = "nofile and nproc limit for containers of --runtime docker; 0 keeps the engine's default.")
    long containerUlimit;

    @Option(names = "--node-labels", paramLabel = "KEY=VALUE", split = ",", description = "Extra labels for the Node.")
    List<String> labels = List.of();

    @Option(names = "--register-with-taints", paramLabel = "KEY[=VALUE]:EFFECT", split = ",",
            description = "Taints the Node is registered with, e.g. node-role.kubernetes.io/control-plane:NoSchedule.")
    List<String> taints = List.of();

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "10250",
            description = "Port for the agent's log endpoint (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--max-pods", paramLabel = "N", defaultValue = "110", description = "Pods this node takes. Default: ${DEFAULT-VALUE}.")
    int maxPods;

    @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "10s",
            description = "How often the Node's status is renewed. Default: ${DEFAULT-VALUE}.")
    String heartbeat;

    @Option(names = "--crash-loop-backoff", paramLabel = "DURATION", defaultValue = "10s",
            description = "First delay before restarting a crashing container; it doubles up to 5m. Default: ${DEFAULT-VALUE}.")
    String backoff;

    @Option(names = "--cluster-domain", paramLabel = "DOMAIN", defaultValue = "cluster.local",
            description = "DNS domain of Services and pods (<svc>.<namespace>.svc.DOMAIN). Default: ${DEFAULT-VALUE}.")
    String clusterDomain;

    @Option(names = "--cluster-dns", paramLabel = "IP",
            description = {"Address this agent answers cluster DNS on and writes into pods' resolv.conf."
                    + " Default: the cluster IP of kube-system/kube-dns, which tug server creates."})
    String clusterDns;

    @Option(names = "--cluster-dns-port", paramLabel = "PORT", defaultValue = "53",
            description = {"Port of the cluster DNS. Port 53, which resolv.conf requires, needs root (or"
                    + " CAP_NET_BIND_SERVICE); without it the agent warns and pods keep the host's resolver."
                    + " Default: ${DEFAULT-VALUE}."})
    int clusterDnsPort;

    AgentCommand(Session session) {
        super(session);
    }

    @Override
    protected int run() throws Exception {
        if (!Files.isReadable(kubeconfig)) {
            throw new UserException("cannot read --kubeconfig " + kubeconfig);
        }
        if (!List.of("process", "docker").contains(runtime)) {
            throw new UserException("--runtime must be process or docker, not \"" + runtime + "\"");
        }
        Map<String, String> nodeLabels = new LinkedHashMap<>();
        for (String label : labels) {
            String[] kv = label.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new UserException("--node-labels takes KEY=VALUE pairs, not \"" + label + "\"");
            }
            nodeLabels.put(kv[0], kv[1]);
        }
        for (String taint : taints) {
            if (!taint.matches("[^=:]+(=[^:]*)?:(NoSchedule|PreferNoSchedule|NoExecute)")) {
                throw new UserException("--register-with-taints takes KEY[=VALUE]:EFFECT with effect NoSchedule,"
                        + " PreferNoSchedule or NoExecute, not \"" + taint + "\"");
            }
        }
        String name = nodeName != null ? nodeName : InetAddress.getLocalHost().getHostName().toLowerCase();
        AgentConfig config = new AgentConfig(kubeconfig, name, address, dataDir, runtime, nodeLabels, taints, port,
                maxPods, Durations.parse("--heartbeat", heartbeat),
                Durations.parse("--crash-loop-backoff", backoff), dockerHost, sandboxImage, containerUlimit,
                clusterDomain, clusterDns, clusterDnsPort);
        Agent agent;
        try {
            agent = Agent.start(config);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new UserException("cannot register node " + name + " with the API server in " + kubeconfig + ": "
                    + (root.getMessage() == null ? root.toString() : root.getMessage())
                    + " (is tug server running there, and are the credentials right?)");
        } catch (java.io.IOException e) {
            throw new UserException("cannot start the agent: " + e.getMessage()
                    + " (is --address an address of this machine and --port free?)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.close();
            } catch (Exception e) {
                // exiting anyway; the pods keep running for the next agent
            }
            stopped.countDown();
        }, "shutdown"));
        session.out.println("Node " + name + " registered; agent listening on " + address + ":" + agent.port()
                + " with the " + runtime + " runtime (pods in " + dataDir.resolve("pods") + ")");
        session.out.println(agent.clusterDns()
                .map(dns -> "Service proxy on cluster IPs and node ports; cluster DNS (" + clusterDomain + ") on "
                        + dns.getHostString() + ":" + dns.getPort() + (agent.podsUseClusterDns() ? ", in pods' resolv.conf" : ""))
                .orElse("Service proxy on cluster IPs and node ports; no cluster DNS (see the warning above)"));
        session.out.flush();
        stopped.await();
        return 0;
    }
}
