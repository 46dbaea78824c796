package dev.tug.cli;

import dev.tug.controlplane.controllers.ControllerSettings;
import dev.tug.controlplane.objects.ServiceNetwork;
import dev.tug.controlplane.server.ApiServer;
import dev.tug.controlplane.server.ServerConfig;
import dev.tug.controlplane.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", description = {
        "Run the Kubernetes-compatible API server with its embedded store and controllers.",
        "Without certificate files it makes a CA of its own in DATA_DIR/pki and writes",
        "DATA_DIR/admin.kubeconfig for kubectl."},
        footer = {"", "Examples:",
                "  tug server --data-dir /tmp/tug-server",
                "  kubectl --kubeconfig /tmp/tug-server/admin.kubeconfig get namespaces",
                "  tug server --data-dir /var/lib/tug/apiserver --listen 10.0.0.5:6443 \\",
                "      --tls-cert-file /etc/tug/pki/apiserver.crt \\",
                "      --tls-private-key-file /etc/tug/pki/apiserver.key \\",
                "      --client-ca-file /etc/tug/pki/ca.crt --token-auth-file /etc/tug/tokens.csv"})
final class ServerCommand extends TugCommand {
    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "Where the object store (and, without certificate files, the PKI) lives.")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6443",
            description = "Address to serve HTTPS on. Default: ${DEFAULT-VALUE}. Port 0 picks a free one.")
    String listen;

    @Option(names = "--tls-cert-file", paramLabel = "FILE", description = "Serving certificate (PEM), signed by the cluster CA.")
    Path tlsCert;

    @Option(names = "--tls-private-key-file", paramLabel = "FILE", description = "Its private key (PEM).")
    Path tlsKey;

    @Option(names = "--client-ca-file", paramLabel = "FILE", description = "CA that signs client certificates (PEM).")
    Path clientCa;

    @Option(names = "--token-auth-file", paramLabel = "FILE",
            description = "Bearer tokens, one per line: token,user,uid,\"group1,group2\".")
    Path tokenFile;

    @Option(names = "--node-monitor-grace-period", paramLabel = "DURATION", defaultValue = "40s",
            description = {"How long a node may go without a heartbeat before it turns Ready=Unknown and is tainted"
                    + " node.kubernetes.io/unreachable: new pods avoid it, and its pods are evicted when their"
                    + " tolerations run out. Agents heartbeat every 10 s: keep this several heartbeats long."
                    + " Written like 40s, 2m or 500ms. Default: ${DEFAULT-VALUE}."})
    String nodeMonitorGracePeriod;

    @Option(names = "--default-not-ready-toleration-seconds", paramLabel = "SECONDS", defaultValue = "300",
            description = {"How long new pods stay on a node that reports NotReady before they are evicted and"
                    + " recreated elsewhere: added to every pod as a toleration of node.kubernetes.io/not-ready"
                    + " unless it has its own. Default: ${DEFAULT-VALUE}."})
    long notReadyTolerationSeconds;

    @Option(names = "--default-unreachable-toleration-seconds", paramLabel = "SECONDS", defaultValue = "300",
            description = {"The same for a node that stopped heartbeating (node.kubernetes.io/unreachable)."
                    + " Lower it to fail over sooner, at the price of recreating pods on a brief network"
                    + " outage. Default: ${DEFAULT-VALUE}."})
    long unreachableTolerationSeconds;

    @Option(names = "--cluster-cidr", paramLabel = "CIDR", defaultValue = ControllerSettings.DEFAULT_CLUSTER_CIDR,
            description = {"Range each node's pod range (spec.podCIDR) is cut from; pods take their addresses"
                    + " from their node's range. The loopback default lets the process runtime give every pod"
                    + " its own address without root. Default: ${DEFAULT-VALUE}."})
    String clusterCidr;

    @Option(names = "--node-cidr-mask-size", paramLabel = "BITS", defaultValue = "24",
            description = {"Prefix length of each node's pod range: /24 gives 256 addresses per node, and a /16"
                    + " cluster range then holds 256 nodes. Between the cluster range's prefix and 16 bits"
                    + " longer. Default: ${DEFAULT-VALUE}."})
    int nodeCidrMaskSize;

    @Option(names = "--service-cluster-ip-range", paramLabel = "CIDR", defaultValue = ServiceNetwork.DEFAULT_SERVICE_CIDR,
            description = {"Range Services take their cluster IPs from. The first address is the kubernetes"
                    + " Service's, the tenth the cluster DNS's. The loopback default lets node agents serve every"
                    + " cluster IP on Linux without root. Between a /12 and a /28. Default: ${DEFAULT-VALUE}."})
    String serviceCidr;

    @Option(names = "--service-node-port-range", paramLabel = "LOW-HIGH", defaultValue = ServiceNetwork.DEFAULT_NODE_PORT_RANGE,
            description = "Ports NodePort and LoadBalancer Services take their node ports from. Default: ${DEFAULT-VALUE}.")
    String nodePortRange;

    @Option(names = "--advertise-address", paramLabel = "IP",
            description = {"Address the kubernetes Service's endpoint names, where pods reach this server."
                    + " Default: the --listen address (127.0.0.1 when that is a wildcard)."})
    String advertiseAddress;

    ServerCommand(Session session) {
        super(session);
    }

    @Override
    protected int run() throws Exception {
        ListenAddress address = ListenAddress.parse(listen, "127.0.0.1:6443");
        String host = address.host();
        int port = address.port();
        ControllerSettings controllers;
        ServiceNetwork services;
        try {
            controllers = new ControllerSettings(Durations.parse("--node-monitor-grace-period", nodeMonitorGracePeriod),
                    notReadyTolerationSeconds, unreachableTolerationSeconds, clusterCidr, nodeCidrMaskSize);
            services = ServiceNetwork.of(serviceCidr, nodePortRange);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        ServerConfig config = new ServerConfig(host, port, dataDir, tlsCert, tlsKey, clientCa, tokenFile,
                VersionCommand.version(), controllers, services, advertiseAddress);
        ApiServer server;
        try {
            server = ApiServer.start(config);
        } catch (StoreException e) {
            throw new UserException("cannot open the store in " + dataDir + ": " + e.getMessage()
                    + " (is another tug server using it?)");
        } catch (IOException e) {
            throw ListenAddress.cannotServe(listen, e, "another server on that port? choose one with --listen HOST:PORT");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        session.out.println("API server listening on " + server.url() + " (data in " + dataDir + ")");
        if (server.adminKubeconfig() != null) {
            session.out.println("kubectl --kubeconfig " + server.adminKubeconfig() + " get namespaces");
        }
        session.out.flush();
        stopped.await();
        return 0;
    }
}
