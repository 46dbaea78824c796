package dev.tug.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tug.bootstrap.ClusterSettings;
import dev.tug.bootstrap.Machine;
import dev.tug.bootstrap.MachineRecord;
import dev.tug.model.InstanceGroup;
import dev.tug.model.Manifests;
import dev.tug.state.CertificateAuthority;
import dev.tug.state.ClusterRepository;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Command(name = "validate", description = "Check that a cluster works.", subcommands = ValidateCommand.ValidateCluster.class)
final class ValidateCommand extends CommandGroup {
    @Override
    protected String hint() {
        return "say what to validate: `tug validate cluster NAME`";
    }

    @Command(name = "cluster",
            description = {"Check that every instance group has its machines, every machine joined as a Ready node,"
                    + " the API server is healthy and the add-ons' pods run.",
                    "Exit status: 0 when the cluster is ready, 2 when it is not (with the reasons), 1 on other errors."},
            footer = {"", "Examples:",
                    "  tug validate cluster demo",
                    "  tug validate cluster demo --wait 5m     # poll until ready, or fail after 5 minutes",
                    "  tug validate cluster demo -o json"})
    static final class ValidateCluster extends TugCommand {
        private static final Duration POLL = Duration.ofSeconds(2);

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String positionalName;
        @Option(names = "--name", paramLabel = "NAME", description = "Cluster name.") String flagName;
        @Option(names = "--wait", paramLabel = "DURATION",
                description = "Keep checking every 2s until the cluster is ready or this much time has passed (e.g. 5m).")
        String wait;
        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), json or yaml.")
        OutputFormat output = OutputFormat.table;

        ValidateCluster(Session session) {
            super(session);
        }

        @Override
        protected int run() throws Exception {
            String name = ClusterNames.pick(positionalName, flagName);
            Duration patience = wait == null ? Duration.ZERO : Durations.parse("--wait", wait);
            ClusterRepository repository = repository();
            ClusterMachines cluster = ClusterMachines.open(session, repository, name, "validate");
            CertificateAuthority ca = repository.certificateAuthority(name);
            ClusterSettings settings = cluster.cloud.settings(ca);
            ClusterApi api = ClusterApi.admin(ca, settings.apiServerUrl());
            Instant deadline = Instant.now().plus(patience);
            Result result;
            while (true) {
                result = validate(cluster, api);
                if (result.ready || !Instant.now().plus(POLL).isBefore(deadline)) {
                    break;
                }
                session.err.println("Cluster " + name + " is not ready yet (" + result.failures.size() + " problem(s): "
                        + result.failures.get(0).message + "); checking again in " + POLL.toSeconds() + "s");
                Thread.sleep(POLL.toMillis());
            }
            print(result);
            return result.ready ? 0 : 2;
        }

        private Result validate(ClusterMachines cluster, ClusterApi http) {
            Result result = new Result();
            result.cluster = cluster.cluster.name();
            List<Machine> machines = cluster.cloud.machines();
            Map<String, MachineRecord> records = cluster.records.all();
            for (InstanceGroup group : cluster.groups) {
                long count = machines.stream().filter(m -> m.instanceGroup().equals(group.name())).count();
                result.instanceGroups.add(new GroupStatus(group.name(), group.spec.role, count, group.spec.minSize,
                        group.spec.maxSize));
            }
            String api = http.server();
            Optional<String> health = http.get("/readyz");
            if (health.isEmpty() || !health.get().strip().equals("ok")) {
                result.fail("ControlPlane", api, "API server at " + api + " is not healthy"
                        + health.map(h -> ": " + h.strip()).orElse(" (it does not answer)"));
            }
            Map<String, Node> nodes = new LinkedHashMap<>();
            http.get("/api/v1/nodes").map(json -> Serialization.unmarshal(json, NodeList.class))
                    .ifPresent(list -> list.getItems().forEach(n -> nodes.put(n.getMetadata().getName(), n)));
            for (Machine machine : machines) {
                MachineRecord record = records.get(machine.id());
                Node node = nodes.get(machine.nodeName());
                if (record == null || record.bootstrapped == null) {
                    result.fail("Machine", machine.id(), "machine " + machine.label() + " has not been set up;"
                            + " run `tug update cluster " + result.cluster + " --yes`");
                } else if (node == null) {
                    result.fail("Machine", machine.id(), "machine " + machine.label() + " has not joined the cluster");
                }
                if (node != null) {
                    NodeCondition ready = readyCondition(node);
                    boolean isReady = ready != null && "True".equals(ready.getStatus());
                    result.nodes.add(new NodeStatus(machine.nodeName(), machine.role(), isReady ? "True"
                            : ready == null ? "Unknown" : ready.getStatus(), machine.address()));
                    if (!isReady) {
                        result.fail("Node", machine.nodeName(), "node " + machine.label() + " is not ready"
                                + (ready != null && ready.getMessage() != null
                                ? ": " + ready.getMessage() : ""));
                    }
                }
            }
            http.get("/api/v1/namespaces/kube-system/pods").map(json -> Serialization.unmarshal(json, PodList.class))
                    .ifPresent(pods -> pods.getItems().stream().filter(p -> !running(p)).forEach(p ->
                            result.fail("Pod", "kube-system/" + p.getMetadata().getName(), "add-on pod "
                                    + p.getMetadata().getName() + " is " + p.getStatus().getPhase())));
            Addons.problems(http, cluster.cluster).forEach(problem -> result.fail("Addon", problem.name(), problem.message()));
            result.ready = result.failures.isEmpty();
            return result;
        }

        private static boolean running(Pod pod) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            return "Running".equals(phase) || "Succeeded".equals(phase);
        }

        private static NodeCondition readyCondition(Node node) {
            if (node.getStatus() == null || node.getStatus().getConditions() == null) {
                return null;
            }
            return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
                    .orElse(null);
        }

        private void print(Result result) {
            if (output == OutputFormat.json) {
                session.out.print(Manifests.toJson(result));
                return;
            }
            if (output == OutputFormat.yaml) {
                session.out.print(Manifests.toYaml(result));
                return;
            }
            session.out.println("Validating cluster " + result.cluster);
            session.out.println();
            session.out.println("INSTANCE GROUPS");
            Table groups = new Table("NAME", "ROLE", "MACHINES", "MIN", "MAX");
            result.instanceGroups.forEach(g -> groups.row(g.name, g.role, g.machines, g.min, g.max));
            groups.print(session.out);
            session.out.println();
            session.out.println("NODE STATUS");
            Table nodes = new Table("NAME", "ROLE", "READY", "ADDRESS");
            result.nodes.forEach(n -> nodes.row(n.name, n.role, n.ready, n.address));
            nodes.print(session.out);
            session.out.println();
            if (!result.ready) {
                session.out.println("VALIDATION ERRORS");
                Table errors = new Table("KIND", "NAME", "MESSAGE");
                result.failures.forEach(f -> errors.row(f.kind, f.name, f.message));
                errors.print(session.out);
                session.out.println();
                session.out.println("Validation failed: cluster " + result.cluster + " is not ready");
            } else {
                session.out.println("Your cluster " + result.cluster + " is ready");
            }
        }
    }

    /** What validate found; printed as a table or, with -o, as this object. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public static final class Result {
        public String cluster;
        public boolean ready;
        public List<GroupStatus> instanceGroups = new ArrayList<>();
        public List<NodeStatus> nodes = new ArrayList<>();
        public List<Failure> failures = new ArrayList<>();

        void fail(String kind, String name, String message) {
            failures.add(new Failure(kind, name, message));
        }
    }

    public static final class GroupStatus {
        public final String name;
        public final String role;
        public final long machines;
        public final Integer min;
        public final Integer max;

        GroupStatus(String name, String role, long machines, Integer min, Integer max) {
            this.name = name;
            this.role = role;
            this.machines = machines;
            this.min = min;
            this.max = max;
        }
    }

    public static final class NodeStatus {
        public final String name;
        public final String role;
        public final String ready;
        public final String address;

        NodeStatus(String name, String role, String ready, String address) {
            this.name = name;
            this.role = role;
            this.ready = ready;
            this.address = address;
        }
    }

    public static final class Failure {
        public final String kind;
        public final String name;
        public final String message;

        Failure(String kind, String name, String message) {
            this.kind = kind;
            this.name = name;
            this.message = message;
        }
    }
}
