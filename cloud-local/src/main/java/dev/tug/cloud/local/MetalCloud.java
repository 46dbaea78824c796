package dev.tug.cloud.local;

import dev.tug.bootstrap.Bootstrapper;
import dev.tug.bootstrap.ClusterSettings;
import dev.tug.bootstrap.Machine;
import dev.tug.bootstrap.MachinePaths;
import dev.tug.bootstrap.MachineRecord;
import dev.tug.bootstrap.SshExecutor;
import dev.tug.bootstrap.SshTarget;
import dev.tug.model.Cluster;
import dev.tug.model.Defaults;
import dev.tug.model.InstanceGroup;
import dev.tug.model.SpecException;
import dev.tug.state.CertificateAuthority;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Existing machines listed in the instance groups ({@code [user@]host[:port]}), reached over SSH. Components bind
 * to the address tug reached the machine on; the machine's id and Node name is that host.
 */
public final class MetalCloud implements MachineCloud {
    /** How long to keep retrying a machine that refuses SSH connections (it may be booting). */
    private static final Duration SSH_PATIENCE = Duration.ofMinutes(2);

    private final Cluster cluster;
    private final List<InstanceGroup> groups;
    private final Map<String, MachineRecord> records;

    public MetalCloud(Cluster cluster, List<InstanceGroup> groups, Map<String, MachineRecord> records) {
        this.cluster = cluster;
        this.groups = MachineGroups.ordered(groups);
        this.records = records;
    }

    @Override
    public List<Machine> machines() {
        List<Machine> machines = new ArrayList<>();
        for (InstanceGroup group : groups) {
            for (String host : group.spec.hosts) {
                SshTarget target;
                try {
                    target = SshTarget.parse(host, cluster.spec.sshUser);
                } catch (IllegalArgumentException e) {
                    throw new SpecException("instance group " + group.name() + ": " + e.getMessage());
                }
                machines.add(new Machine(target.host().toLowerCase(), group.name(), group.spec.role,
                        address(target.host()), group.spec.nodeLabels, group.spec.taints, target, new MachinePaths("")));
            }
        }
        MachineGroups.requireOneControlPlane("metal", machines);
        return machines;
    }

    @Override
    public List<Machine> surplus() {
        return MachineGroups.surplus(machines(), records, r -> new Machine(r.id, r.instanceGroup, r.role, r.address,
                Map.of(), List.of(), SshTarget.parse(r.ssh, cluster.spec.sshUser), new MachinePaths("")));
    }

    @Override
    public ClusterSettings settings(CertificateAuthority ca) {
        String endpoint = cluster.spec.controlPlaneEndpoint;
        String host = endpoint == null || endpoint.isBlank() ? machines().get(0).address()
                : endpoint.replaceFirst(":\\d+$", "");
        int port = endpoint != null && endpoint.matches(".*:\\d+$")
                ? Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)) : Defaults.API_PORT;
        return new ClusterSettings(cluster.name(), host, port, null, null, ca);
    }

    @Override
    public Bootstrapper.Connector connector(Path privateKey) {
        return (machine, hostKey, progress) -> SshExecutor.connect(machine.ssh(), privateKey, hostKey, SSH_PATIENCE,
                progress);
    }

    @Override
    public String java() {
        return "java";
    }

    @Override
    public boolean systemdAllowed() {
        return true;
    }

    /** Components bind to an address, so a host name is resolved once here. */
    private static String address(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new SpecException("cannot resolve metal host " + host + ": " + e.getMessage());
        }
    }
}
