package dev.tug.cli;

import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.model.SpecException;
import dev.tug.state.ClusterRepository;
import dev.tug.state.Versioned;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "List clusters or instance groups.",
        subcommands = {GetCommand.GetClusters.class, GetCommand.GetInstanceGroups.class})
final class GetCommand extends CommandGroup {
    @Override
    protected String hint() {
        return "say what to list: `tug get clusters` or `tug get ig --name NAME`";
    }

    @Command(name = "clusters", aliases = "cluster", description = "List the clusters in the state store.",
            footer = {"", "Examples:", "  tug get clusters", "  tug get clusters demo -o yaml > demo.yaml"})
    static final class GetClusters extends TugCommand {
        @Parameters(paramLabel = "NAME", arity = "0..*", description = "Only these clusters.")
        List<String> names = new ArrayList<>();

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), yaml or json.")
        OutputFormat output = OutputFormat.table;

        GetClusters(Session session) {
            super(session);
        }

        @Override
        protected int run() {
            ClusterRepository repository = repository();
            List<Cluster> clusters = new ArrayList<>();
            if (names.isEmpty()) {
                for (String name : repository.clusterNames()) {
                    try {
                        repository.cluster(name).map(Versioned::value).ifPresent(clusters::add);
                    } catch (SpecException e) {
                        // One unreadable config (another tool's, a hand edit) must not hide every other cluster.
                        session.err.println("Warning: skipping " + name + ": " + e.getMessage().lines().findFirst()
                                .orElse(""));
                    }
                }
            } else {
                for (String name : new LinkedHashSet<>(names)) {
                    clusters.add(repository.requireCluster(ClusterNames.valid(name)).value());
                }
            }
            Printing.list(session, clusters, names.size() == 1, output, "No clusters found in " + repository.store().url() + ".", () -> {
                Table table = new Table("NAME", "CLOUD", "ZONES", "CREATED");
                for (Cluster cluster : clusters) {
                    table.row(cluster.name(), cluster.spec.cloudProvider, zones(cluster),
                            cluster.metadata.creationTimestamp);
                }
                return table;
            });
            return 0;
        }

        private static String zones(Cluster cluster) {
            if (cluster.spec.subnets.isEmpty()) {
                return cluster.spec.cloudProvider;
            }
            return String.join(",", new LinkedHashSet<>(cluster.spec.subnets.stream().map(s -> s.zone).toList()));
        }
    }

    @Command(name = "instancegroups", aliases = {"instancegroup", "ig"},
            description = "List a cluster's instance groups.",
            footer = {"", "Examples:", "  tug get ig --name demo", "  tug get ig --name demo nodes-local -o yaml"})
    static final class GetInstanceGroups extends TugCommand {
        @Parameters(paramLabel = "GROUP", arity = "0..*", description = "Only these groups.")
        List<String> groupNames = new ArrayList<>();

        @Option(names = "--name", paramLabel = "NAME",
                description = "The cluster; may be left out when the store holds only one.")
        String clusterName;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), yaml or json.")
        OutputFormat output = OutputFormat.table;

        GetInstanceGroups(Session session) {
            super(session);
        }

        @Override
        protected int run() {
            ClusterRepository repository = repository();
            String name = ClusterNames.resolve(repository, clusterName, "--name is required");
            repository.requireCluster(name);
            List<InstanceGroup> groups = new ArrayList<>();
            if (groupNames.isEmpty()) {
                repository.instanceGroups(name).forEach(g -> groups.add(g.value()));
            } else {
                for (String groupName : new LinkedHashSet<>(groupNames)) {
                    groups.add(repository.instanceGroup(name, groupName).orElseThrow(() -> new UserException(
                            "instance group " + groupName + " not found in cluster " + name)).value());
                }
            }
            Printing.list(session, groups, groupNames.size() == 1, output, "Cluster " + name + " has no instance groups.", () -> {
                Table table = new Table("NAME", "ROLE", "MACHINETYPE", "MIN", "MAX", "ZONES");
                for (InstanceGroup group : groups) {
                    table.row(group.name(), group.spec.role, group.spec.machineType, group.spec.minSize,
                            group.spec.maxSize, String.join(",", group.spec.zones));
                }
                return table;
            });
            return 0;
        }
    }
}
