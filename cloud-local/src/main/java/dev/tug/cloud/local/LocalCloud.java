package dev.tug.cloud.local;

import dev.tug.bootstrap.Bootstrapper;
import dev.tug.bootstrap.ClusterSettings;
import dev.tug.bootstrap.LocalExecutor;
import dev.tug.bootstrap.Machine;
import dev.tug.bootstrap.MachinePaths;
import dev.tug.bootstrap.MachineRecord;
import dev.tug.model.Cluster;
import dev.tug.model.Defaults;
import dev.tug.model.InstanceGroup;
import dev.tug.state.CertificateAuthority;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local cloud: each "machine" is a directory under {@code <root>/<cluster>/<machine>} holding its own
 * /opt/tug, /etc/tug, /var/lib/tug and /var/log/tug, and a loopback address its components bind to. Components
 * run as the current user under the supervisor, never as system services.
 */
public final class LocalCloud implements MachineCloud {
    private final Cluster cluster;
    private final List<InstanceGroup> groups;
    private final Map<String, MachineRecord> records;
    private final Path root;
    private final LocalNetwork network;

    public LocalCloud(Cluster cluster, List<InstanceGroup> groups, Map<String, MachineRecord> records, Path root) {
        this.cluster = cluster;
        this.groups = MachineGroups.ordered(groups);
        this.records = records;
        this.root = root;
        this.network = LocalNetwork.parse(cluster.spec.networkCIDR);
    }

    @Override
    public List<Machine> machines() {
        Set<String> taken = new HashSet<>();
        records.values().forEach(r -> taken.add(r.address));
        List<Machine> machines = new ArrayList<>();
        int next = 0;
        for (InstanceGroup group : groups) {
            for (int i = 1; i <= group.spec.minSize; i++) {
                String id = group.name() + "-" + i;
                MachineRecord record = records.get(id);
                String address;
                if (record != null && network.isMachineAddress(record.address)) {
                    address = record.address;
                } else {
                    // a new machine takes the lowest address no recorded machine holds
                    while (taken.contains(network.machineAddress(next))) {
                        next++;
                    }
                    address = network.machineAddress(next);
                    taken.add(address);
                }
                machines.add(machine(id, group.name(), group.spec.role, address, group.spec.nodeLabels,
                        group.spec.taints));
            }
        }
        MachineGroups.requireOneControlPlane("local", machines);
        return machines;
    }

    @Override
    public List<Machine> surplus() {
        return MachineGroups.surplus(machines(), records,
                r -> machine(r.id, r.instanceGroup, r.role, r.address, Map.of(), List.of()));
    }

    private Machine machine(String id, String group, String role, String address, Map<String, String> labels,
                            List<String> taints) {
        return new Machine(id, group, role, address, labels, taints, null,
                new MachinePaths(root.resolve(cluster.name()).resolve(id).toAbsolutePath().toString()));
    }

    @Override
    public ClusterSettings settings(CertificateAuthority ca) {
        String api = machines().get(0).address();
        return new ClusterSettings(cluster.name(), api, Defaults.API_PORT, network.serviceCidr(), network.clusterCidr(), ca);
    }

    @Override
    public Bootstrapper.Connector connector(Path privateKey) {
        return (machine, hostKey, progress) -> new LocalExecutor(machine.address());
    }

    /** The JVM tug itself runs on. */
    @Override
    public String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public boolean systemdAllowed() {
        return false;
    }
}
