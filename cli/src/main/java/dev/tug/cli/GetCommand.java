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

@Command(name = "get", description = "List clusters, instance groups, secrets or add-ons.",
        subcommands = {GetCommand.GetClusters.class, GetCommand.GetInstanceGroups.class, GetCommand.GetSecrets.class,
                GetCommand.GetAddons.class})
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

    @Command(name = "secrets", aliases = "secret",
            description = {"List a cluster's secrets, or print one.",
                    "`admin` is the cluster's admin bearer token: the API server accepts it as a cluster admin, and"
                            + " the dashboard takes it at sign-in. Keep it like a password."},
            footer = {"", "Examples:", "  tug get secrets --name demo", "  tug get secrets admin --name demo",
                    "  kubectl --context demo --token \"$(tug get secrets admin --name demo)\" get pods"})
    static final class GetSecrets extends TugCommand {
        @Parameters(paramLabel = "SECRET", arity = "0..*", description = "Print these secrets (one: its value alone).")
        List<String> secretNames = new ArrayList<>();

        @Option(names = "--name", paramLabel = "NAME",
                description = "The cluster; may be left out when the store holds only one.")
        String clusterName;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), yaml or json.")
        OutputFormat output = OutputFormat.table;

        GetSecrets(Session session) {
            super(session);
        }

        /** A secret as -o yaml|json prints it. */
        public static final class Secret {
            public final String name;
            public final String type;
            public final String value;

            Secret(String name, String type, String value) {
                this.name = name;
                this.type = type;
                this.value = value;
            }
        }

        @Override
        protected int run() {
            ClusterRepository repository = repository();
            String name = ClusterNames.resolve(repository, clusterName, "--name is required");
            repository.requireCluster(name);
            List<Secret> secrets = new ArrayList<>();
            for (String secret : secretNames.isEmpty() ? repository.secretNames(name) : new LinkedHashSet<>(secretNames)) {
                String value = repository.secret(name, secret).orElseThrow(() -> new UserException(
                        secret.equals(ClusterRepository.ADMIN_SECRET)
                                ? "cluster " + name + " has no admin token yet (it was created by an older tug);"
                                + " `tug update cluster " + name + " --yes` makes one and gives it to the API server"
                                : "cluster " + name + " has no secret " + secret + "; `tug get secrets --name " + name
                                + "` lists them"));
                secrets.add(new Secret(secret, secret.equals(ClusterRepository.ADMIN_SECRET) ? "Token" : "Secret",
                        secretNames.isEmpty() ? null : value));
            }
            if (secretNames.size() == 1 && output == OutputFormat.table) {
                session.out.println(secrets.get(0).value);
                return 0;
            }
            Printing.list(session, secrets, false, output, "Cluster " + name + " has no secrets.", () -> {
                Table table = new Table("NAME", "TYPE");
                secrets.forEach(secret -> table.row(secret.name, secret.type));
                return table;
            });
            return 0;
        }
    }

    @Command(name = "addons", aliases = "addon",
            description = {"List a cluster's enabled add-ons: the version applied, whether their pods are ready, and"
                    + " where to reach them. `tug update cluster NAME --yes` applies them; `enabled: false` on an"
                    + " add-on of spec.addons (`tug edit cluster NAME`) removes it at the next update."},
            footer = {"", "Examples:", "  tug get addons demo", "  tug get addons demo -o yaml"})
    static final class GetAddons extends TugCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String positionalName;
        @Option(names = "--name", paramLabel = "NAME", description = "Cluster name.") String flagName;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), yaml or json.")
        OutputFormat output = OutputFormat.table;

        GetAddons(Session session) {
            super(session);
        }

        /** An add-on as -o yaml|json prints it. */
        public static final class AddonStatus {
            public final String name;
            public final String version;
            public final String ready;
            public final List<String> urls;

            AddonStatus(String name, String version, String ready, List<String> urls) {
                this.name = name;
                this.version = version;
                this.ready = ready;
                this.urls = urls;
            }
        }

        @Override
        protected int run() throws Exception {
            ClusterRepository repository = repository();
            String name = ClusterNames.pick(positionalName, flagName);
            ClusterMachines cluster = ClusterMachines.open(session, repository, name, "get addons");
            var settings = cluster.cloud.settings(repository.certificateAuthority(name));
            ClusterApi api = ClusterApi.admin(settings.ca(), settings.apiServerUrl());
            List<AddonStatus> addons = new ArrayList<>();
            for (var addon : cluster.cluster.spec.addons.stream().filter(dev.tug.model.Addon::enabled).toList()) {
                addons.add(Addons.status(api, repository, name, addon.name, cluster.cloud.machines()));
            }
            Printing.list(session, addons, false, output, "Cluster " + name + " has no enabled add-ons.", () -> {
                Table table = new Table("NAME", "VERSION", "READY", "URL");
                addons.forEach(a -> table.row(a.name, a.version, a.ready, a.urls.isEmpty() ? "" : a.urls.get(0)));
                return table;
            });
            return 0;
        }
    }
}
