package dev.tug.cli;

import dev.tug.bootstrap.Bootstrapper;
import dev.tug.bootstrap.MachineRecords;
import dev.tug.cloud.local.LocalCloud;
import dev.tug.cloud.local.MachineCloud;
import dev.tug.cloud.local.MetalCloud;
import dev.tug.controlplane.kubeconfig.Kubeconfig;
import dev.tug.model.CloudProvider;
import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.state.ClusterRepository;
import dev.tug.state.Versioned;

import java.nio.file.Path;
import java.util.List;

/** A stored cluster with its machines: what update, validate and delete work on for local and metal clusters. */
final class ClusterMachines {
    final Cluster cluster;
    final List<InstanceGroup> groups;
    final MachineRecords records;
    final MachineCloud cloud;

    private ClusterMachines(Cluster cluster, List<InstanceGroup> groups, MachineRecords records, MachineCloud cloud) {
        this.cluster = cluster;
        this.groups = groups;
        this.records = records;
        this.cloud = cloud;
    }

    static ClusterMachines open(Session session, ClusterRepository repository, String name, String verb) {
        return open(session, repository, repository.requireCluster(name).value(), verb);
    }

    /** The same for a cluster spec already read. */
    static ClusterMachines open(Session session, ClusterRepository repository, Cluster cluster, String verb) {
        String name = cluster.name();
        List<InstanceGroup> groups = repository.instanceGroups(name).stream().map(Versioned::value).toList();
        MachineRecords records = new MachineRecords(repository.store(), name);
        CloudProvider provider = cluster.cloud();
        MachineCloud cloud = switch (provider) {
            case LOCAL -> new LocalCloud(cluster, groups, records.all(), localRoot(session));
            case METAL -> new MetalCloud(cluster, groups, records.all());
            default -> throw new UserException(verb + " for " + provider.id() + " clusters comes with tug's "
                    + provider.id() + " provisioning, which this version does not have yet; it " + verb
                    + "s local and metal clusters");
        };
        return new ClusterMachines(cluster, groups, records, cloud);
    }

    /** Whether this cluster's machines are ones tug bootstraps itself (local, metal). */
    static boolean handles(Cluster cluster) {
        return cluster.cloud() == CloudProvider.LOCAL || cluster.cloud() == CloudProvider.METAL;
    }

    Bootstrapper bootstrapper(Session session, Path privateKey) {
        return new Bootstrapper(records, cloud.connector(privateKey), session.err::println);
    }

    /** Where the local cloud's machines live: $TUG_LOCAL_DIR, else ~/.tug/local. */
    static Path localRoot(Session session) {
        return session.env.get("TUG_LOCAL_DIR").map(Path::of)
                .orElseGet(() -> Path.of(session.env.home(), ".tug", "local"));
    }

    static Path kubeconfigPath(Session session) {
        return Kubeconfig.defaultPath(session.env.variables());
    }
}
