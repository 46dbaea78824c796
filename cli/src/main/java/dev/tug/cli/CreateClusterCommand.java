package dev.tug.cli;

import dev.tug.model.Cluster;
import dev.tug.model.CloudProvider;
import dev.tug.model.InstanceGroup;
import dev.tug.model.NewCluster;
import dev.tug.state.ClusterRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cluster",
        description = {"Create a cluster's spec in the state store: the Cluster, its instance groups"
                + " (control-plane-<zone>, nodes-<zone>), its certificate authority and SSH key.",
                "Nothing is built until `tug update cluster NAME --yes`, or --yes here (aws: the cloud resources; local and metal: the whole cluster)."},
        footer = {"", "Examples:",
                "  tug create cluster demo --cloud local --node-count 2 --yes",
                "  tug create cluster demo.example.com --cloud aws \\",
                "      --zones us-east-1a,us-east-1b --node-count 3",
                "  tug create cluster lab --cloud metal \\",
                "      --control-plane-hosts 10.0.0.10 --node-hosts 10.0.0.11,10.0.0.12",
                "  tug create cluster demo --cloud gcp --zones us-central1-a \\",
                "      --dry-run -o yaml > demo.yaml"})
final class CreateClusterCommand extends TugCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Cluster name (a DNS name).")
    String positionalName;

    @Option(names = "--name", paramLabel = "NAME", description = "Cluster name, instead of the NAME argument.")
    String flagName;

    @Option(names = "--cloud", required = true, paramLabel = "CLOUD", description = "aws, gcp, local or metal.")
    String cloud;

    @Option(names = "--zones", split = ",", paramLabel = "ZONE",
            description = "Zones to run in (aws, gcp); one subnet and instance groups per zone.")
    List<String> zones = new ArrayList<>();

    @Option(names = "--region", description = "Region; derived from the zones when left out.")
    String region;

    @Option(names = "--node-count", paramLabel = "N",
            description = "Worker machines, spread over the zones. Default: one per zone (local: 1).")
    Integer nodeCount;

    @Option(names = "--node-size", paramLabel = "TYPE", description = "Machine type of the nodes.")
    String nodeSize;

    @Option(names = {"--control-plane-size", "--master-size"}, paramLabel = "TYPE",
            description = "Machine type of the control plane.")
    String controlPlaneSize;

    @Option(names = {"--control-plane-count", "--master-count"}, paramLabel = "N",
            description = "Control-plane machines: 1 (default) or 3.")
    Integer controlPlaneCount;

    @Option(names = "--control-plane-hosts", split = ",", paramLabel = "HOST",
            description = "metal: the machines for the control plane (host or host:port of their SSH server).")
    List<String> controlPlaneHosts = new ArrayList<>();

    @Option(names = "--node-hosts", split = ",", paramLabel = "HOST", description = "metal: the worker machines.")
    List<String> nodeHosts = new ArrayList<>();

    @Option(names = "--image", description = "Machine image for all instance groups.")
    String image;

    @Option(names = "--ssh-public-key", paramLabel = "PATH",
            description = "Public key installed for SSH access. Default: ~/.ssh/id_ed25519.pub, else"
                    + " ~/.ssh/id_rsa.pub. Not needed for local.")
    String sshPublicKey;

    @Option(names = "--admin-access", split = ",", paramLabel = "CIDR",
            description = "CIDRs allowed to reach the API and SSH. Default: 0.0.0.0/0.")
    List<String> adminAccess = new ArrayList<>();

    @Option(names = "--network-cidr", paramLabel = "CIDR", description = "Cluster network. Default: 172.20.0.0/16.")
    String networkCidr;

    @Option(names = "--cloud-labels", split = ",", paramLabel = "KEY=VALUE",
            description = "Extra tags for every cloud object of the cluster.")
    Map<String, String> cloudLabels = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "Print the spec instead of storing it (see -o).")
    boolean dryRun;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "With --dry-run: yaml (default) or json.")
    OutputFormat output;

    @Option(names = {"-y", "--yes"}, description = "Also build the cluster, as `tug update cluster NAME --yes` does"
            + " (local and metal clusters).")
    boolean yes;

    @Option(names = {"-i", "--ssh-private-key"}, paramLabel = "PATH",
            description = "metal, with --yes: key to log in with. Default: the private half of --ssh-public-key.")
    java.nio.file.Path sshPrivateKey;

    /** `tug create --ssh-public-key K cluster ...` puts the flag on the parent. */
    @picocli.CommandLine.ParentCommand
    CreateCommand parent;

    CreateClusterCommand(Session session) {
        super(session);
    }

    @Override
    protected int run() throws Exception {
        if (output == OutputFormat.table) {
            throw new UserException("--dry-run prints objects: use -o yaml or -o json");
        }
        if (output != null && !dryRun) {
            throw new UserException("-o goes with --dry-run; without it the spec is stored, see `tug get clusters`");
        }
        NewCluster.Options options = new NewCluster.Options();
        options.name = positionalName == null && flagName == null ? null : ClusterNames.pick(positionalName, flagName);
        options.cloud = cloud;
        options.zones = zones;
        options.region = region;
        options.nodeCount = nodeCount;
        options.nodeSize = nodeSize;
        options.controlPlaneSize = controlPlaneSize;
        options.controlPlaneCount = controlPlaneCount;
        options.controlPlaneHosts = controlPlaneHosts;
        options.nodeHosts = nodeHosts;
        options.image = image;
        options.adminAccess = adminAccess;
        options.networkCIDR = networkCidr;
        if (networkCidr == null && "local".equals(cloud) && !dryRun) {
            options.networkCIDR = freeLocalNetwork();
        }
        options.cloudLabels = cloudLabels;
        NewCluster.Spec spec = NewCluster.build(options);

        if (dryRun) {
            Printing.print(session.out, spec.objects(), output == null ? OutputFormat.yaml : output, false);
            return 0;
        }
        Cluster cluster = spec.cluster();
        var sshKey = SshKeys.resolve(session, sshPublicKey != null ? sshPublicKey : parent.sshPublicKey,
                cluster.cloud() != CloudProvider.LOCAL);
        ClusterRepository repository = repository();
        repository.requireNameFree(cluster.name());
        session.err.println("Creating cluster " + cluster.name() + " in " + repository.store().url() + " ...");
        repository.create(cluster, spec.instanceGroups(), sshKey);
        printCreated(cluster, spec.instanceGroups(), sshKey, !yes);
        if (yes) {
            if (CloudProvisioning.handles(cluster)) {
                session.out.println();
                UpdateCommand.cloudPhase(session, repository, cluster, true, true);
                return 0;
            }
            if (!ClusterMachines.handles(cluster)) {
                session.err.println("Note: this version of tug does not build " + cluster.spec.cloudProvider
                        + " clusters; the spec is stored and nothing was created.");
                return 0;
            }
            session.out.println();
            java.nio.file.Path key = sshPrivateKey;
            String publicKey = sshPublicKey != null ? sshPublicKey : parent.sshPublicKey;
            if (key == null && publicKey != null && publicKey.endsWith(".pub")
                    && java.nio.file.Files.isReadable(java.nio.file.Path.of(publicKey.substring(0, publicKey.length() - 4)))) {
                key = java.nio.file.Path.of(publicKey.substring(0, publicKey.length() - 4));
            }
            UpdateCommand.apply(session, repository, ClusterMachines.open(session, repository, cluster.name(), "update"),
                    null, key);
        }
        return 0;
    }

    /** A loopback block no other local cluster of this store uses, and where nothing answers already. */
    private String freeLocalNetwork() {
        ClusterRepository repository = repository();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (String other : repository.clusterNames()) {
            repository.cluster(other).ifPresent(c -> used.add(c.value().spec.networkCIDR));
        }
        return dev.tug.cloud.local.LocalNetwork.pickFree(used, CreateClusterCommand::answers)
                .map(dev.tug.cloud.local.LocalNetwork::cidr)
                .orElseThrow(() -> new UserException("every local network block is taken; pass --network-cidr"
                        + " 127.B.0.0/16 with a free B"));
    }

    private static boolean answers(String address) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(address, dev.tug.model.Defaults.API_PORT), 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void printCreated(Cluster cluster, List<InstanceGroup> groups, dev.tug.state.SshPublicKey sshKey,
                              boolean withNextSteps) {
        Printing.created(session.out, cluster, groups);
        detail("certificate authority: " + dev.tug.state.ClusterLayout.caCertificate(cluster.name()));
        if (sshKey != null) {
            detail("ssh public key: " + sshKey.fingerprint());
        }
        if (!withNextSteps) {
            return;
        }
        String name = cluster.name();
        String[][] next = {
            {"tug update cluster " + name + " --yes", "build it"},
            {"tug get ig --name " + name, "list its instance groups"},
            {"tug edit cluster " + name, "change the spec"},
            {"tug delete cluster " + name + " --yes", "remove it"}};
        int width = java.util.Arrays.stream(next).mapToInt(line -> line[0].length()).max().orElse(0);
        session.out.println();
        session.out.println("Next:");
        for (String[] line : next) {
            session.out.println("  " + line[0] + " ".repeat(width - line[0].length() + 3) + line[1]);
        }
    }
}
