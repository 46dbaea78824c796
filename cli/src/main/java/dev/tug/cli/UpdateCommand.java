package dev.tug.cli;

import dev.tug.bootstrap.Artifact;
import dev.tug.bootstrap.Bootstrapper;
import dev.tug.bootstrap.ClusterSettings;
import dev.tug.bootstrap.Machine;
import dev.tug.bootstrap.MachineRecord;
import dev.tug.bootstrap.MachineSetup;
import dev.tug.state.ClusterRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

@Command(name = "update", description = "Make a cluster what its spec says.", subcommands = UpdateCommand.UpdateCluster.class)
final class UpdateCommand extends CommandGroup {
    @Override
    protected String hint() {
        return "say what to update: `tug update cluster NAME`";
    }

    @Command(name = "cluster",
            description = {"Make the cluster what its spec says: without --yes, show what would be done and change"
                    + " nothing; with --yes, do it.",
                    "Phases, in order: cloud (aws: VPC, subnets, gateway, routes, security groups, IAM roles, key"
                            + " pair, launch templates, auto scaling groups and the API load balancer; local and"
                            + " metal clusters have nothing to create),"
                            + " bootstrap (on every machine: Java, the tug jar, certificates, config, and the"
                            + " components started under systemd or tug's supervisor) and addons. Each machine is"
                            + " checked and only what differs is changed, so re-running is safe and an interrupted"
                            + " run can simply be repeated.",
                    "Afterwards kubectl has a context named after the cluster."},
            footer = {"", "Examples:",
                    "  tug update cluster demo                  # what would change",
                    "  tug update cluster demo --yes",
                    "  tug update cluster lab --yes --ssh-private-key ~/.ssh/lab_ed25519",
                    "  tug update cluster lab --yes --phase bootstrap",
                    "  tug update cluster demo.example.com --yes --phase cloud -v   # with cloud API call counts"})
    static final class UpdateCluster extends TugCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String positionalName;
        @Option(names = "--name", paramLabel = "NAME", description = "Cluster name.") String flagName;
        @Option(names = {"-y", "--yes"}, description = "Apply the changes.") boolean yes;
        @Option(names = "--phase", paramLabel = "PHASE",
                description = "Run only this phase: cloud, bootstrap or addons. Default: all, in that order.")
        String phase;
        @Option(names = {"-i", "--ssh-private-key"}, paramLabel = "PATH",
                description = "metal: key to log in with. Default: ~/.ssh/id_ed25519, id_ecdsa or id_rsa.")
        Path sshPrivateKey;

        UpdateCluster(Session session) {
            super(session);
        }

        @Override
        protected int run() throws Exception {
            String name = ClusterNames.pick(positionalName, flagName);
            if (phase != null && !List.of("cloud", "bootstrap", "addons").contains(phase)) {
                throw new UserException("--phase must be cloud, bootstrap or addons, not \"" + phase + "\"");
            }
            if (sshPrivateKey != null && !Files.isReadable(sshPrivateKey)) {
                throw new UserException("cannot read --ssh-private-key " + sshPrivateKey);
            }
            ClusterRepository repository = repository();
            dev.tug.model.Cluster spec = repository.requireCluster(name).value();
            if (CloudProvisioning.handles(spec)) {
                updateInCloud(repository, spec);
                return 0;
            }
            ClusterMachines cluster = ClusterMachines.open(session, repository, spec, "update");
            List<Machine> machines = cluster.cloud.machines();
            List<Machine> surplus = cluster.cloud.surplus();
            if (!yes) {
                printPlan(cluster, machines, surplus);
                return 0;
            }
            apply(session, repository, cluster, phase, sshPrivateKey);
            return 0;
        }

        private void updateInCloud(ClusterRepository repository, dev.tug.model.Cluster spec) throws Exception {
            if (phase != null && !phase.equals("cloud")) {
                throw new UserException("--phase " + phase + " for " + spec.spec.cloudProvider + " clusters comes in a"
                        + " later version of tug; this one makes the cloud resources (--phase cloud)");
            }
            cloudPhase(session, repository, spec, yes, phase == null);
        }

        private void printPlan(ClusterMachines cluster, List<Machine> machines, List<Machine> surplus) {
            Map<String, MachineRecord> records = cluster.records.all();
            session.out.println("Will set up machines (each is checked; only what differs is changed):");
            Table table = new Table("MACHINE", "GROUP", "ROLE", "ADDRESS", "REACHED AS", "LAST SET UP");
            for (Machine machine : machines) {
                MachineRecord record = records.get(machine.id());
                table.row(machine.id(), machine.instanceGroup(), machine.role(), machine.address(),
                        machine.ssh() == null ? "local" : machine.ssh(),
                        record == null || record.bootstrapped == null ? "never (new)" : record.bootstrapped);
            }
            table.print(session.out);
            if (!surplus.isEmpty()) {
                session.out.println();
                session.out.println("Will remove tug from machines the spec no longer has:");
                Table gone = new Table("MACHINE", "GROUP", "ADDRESS");
                surplus.forEach(m -> gone.row(m.id(), m.instanceGroup(), m.address()));
                gone.print(session.out);
            }
            session.out.println();
            session.out.println("Must specify --yes to apply changes");
        }
    }

    /** The cloud phase of a cluster in a cloud; the later phases are not there yet for clouds. */
    static void cloudPhase(Session session, ClusterRepository repository, dev.tug.model.Cluster cluster, boolean yes,
                           boolean allPhases) throws Exception {
        try (dev.tug.engine.Cloud cloud = CloudProvisioning.open(session, repository, cluster)) {
            CloudProvisioning.update(session, cloud, cluster, yes);
        }
        if (yes && allPhases) {
            session.err.println("Phases bootstrap and addons: this version of tug does not yet set up machines in "
                    + cluster.spec.cloudProvider + "; they run their image as launched");
        }
    }

    /**
     * Runs the phases (or one of them) on a local or metal cluster and prints how to reach it. When a machine
     * fails, the others are still set up, and a re-run finishes the job.
     */
    static void apply(Session session, ClusterRepository repository, ClusterMachines cluster, String phase,
                         Path sshPrivateKey) throws Exception {
        String name = cluster.cluster.name();
        if (phase == null || phase.equals("cloud")) {
            session.err.println("Phase cloud: nothing to create for a " + cluster.cluster.spec.cloudProvider
                    + " cluster (its machines exist already)");
        }
        boolean bootstrap = phase == null || phase.equals("bootstrap");
        boolean addons = (phase == null || phase.equals("addons")) && !cluster.cluster.spec.addons.isEmpty();
        if ((phase == null || phase.equals("addons")) && !addons) {
            session.err.println("Phase addons: the spec lists none");
        }
        if (!bootstrap && !addons) {
            session.out.println("No changes need to be applied");
            session.out.println();
            return;
        }
        List<Machine> machines = cluster.cloud.machines();
        ClusterSettings settings = cluster.cloud.settings(repository.certificateAuthority(name));
        // the jar that runs is the one machines get, and the add-ons name its checksum: hashed once (it is large)
        Artifact jar = Artifact.of(SelfJar.locate(session));
        boolean changed = false;
        if (bootstrap) {
            session.err.println("Phase bootstrap: " + machines.size() + " machine(s)");
            settings = settings.withAdminToken(repository.adminToken(name));
            MachineSetup setup = new MachineSetup(settings, jar, cluster.cloud.java(), cluster.cloud.systemdAllowed());
            Bootstrapper bootstrapper = cluster.bootstrapper(session, sshPrivateKey);
            Bootstrapper.Outcome outcome = bootstrapper.setUp(machines, setup, jar.sha256());
            List<Machine> surplus = cluster.cloud.surplus();
            Bootstrapper.Outcome removed = bootstrapper.tearDown(surplus, cluster.cloud.systemdAllowed());
            Bootstrapper.Outcome all = outcome.and(removed);
            if (all.failed()) {
                throw new UserException(all.failures().size() + " machine(s) failed: " + all.describeFailures()
                        + ". Any other machines are done; fix this and re-run `tug update cluster " + name + " --yes`");
            }
            changed = outcome.reports().stream().anyMatch(r -> !r.changes().isEmpty()) || !surplus.isEmpty();
            Path kubeconfig = ClusterMachines.kubeconfigPath(session);
            if (AdminCredentials.writeContext(kubeconfig, name, settings.apiServerUrl(), settings.ca())) {
                session.err.println("kubeconfig: context " + name + " written to " + kubeconfig);
                changed = true;
            }
        }
        String dashboard = null;
        if (addons) {
            Machine controlPlane = machines.stream().filter(Machine::controlPlane).findFirst()
                    .orElseThrow(() -> new UserException("cluster " + name + " has no control-plane machine"));
            ClusterApi api = ClusterApi.admin(settings.ca(), settings.apiServerUrl());
            awaitApi(session, api);
            boolean wanted = cluster.cluster.spec.addons.stream()
                    .anyMatch(a -> a.name.equals(dev.tug.model.Addon.DASHBOARD) && a.enabled());
            String certificate = !wanted ? "" : Addons.dashboardCertificate(api, settings.ca(), machines,
                    session.err::println);
            for (Addons.Rendered addon : Addons.render(cluster.cluster, controlPlane, settings, cluster.cloud.java(), jar,
                    certificate)) {
                changed |= !Addons.apply(api, repository, name, addon, session.err::println).isEmpty();
            }
            for (dev.tug.model.Addon disabled : cluster.cluster.spec.addons.stream().filter(a -> !a.enabled()).toList()) {
                changed |= !Addons.remove(api, repository, name, disabled.name, session.err::println).isEmpty();
            }
            dashboard = !wanted ? null : Addons.dashboardNodePort(api).map(port -> "https://" + controlPlane.address() + ":" + port + "/")
                    .orElse(null);
        }
        session.out.println(changed ? "Cluster " + name + " is set up." : "No changes need to be applied");
        session.out.println();
        if (bootstrap) {
            session.out.println("  kubectl --context " + name + " get nodes");
            session.out.println("  tug validate cluster " + name + " --wait 5m");
        }
        if (dashboard != null) {
            session.out.println("  Dashboard: " + dashboard + "  (sign in with `tug get secrets admin --name " + name
                    + "`; its certificate is signed by the cluster CA)");
        }
    }

    /** The API server was perhaps just (re)started by the bootstrap phase: give it a minute to answer. */
    private static void awaitApi(Session session, ClusterApi api) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        boolean said = false;
        while (!api.get("/readyz").map(body -> body.strip().equals("ok")).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new UserException("the API server at " + api.server() + " did not become ready within 90s;"
                        + " check the control-plane machine, then re-run `tug update cluster --yes --phase addons`");
            }
            if (!said) {
                session.err.println("Phase addons: waiting for the API server at " + api.server());
                said = true;
            }
            Thread.sleep(500);
        }
    }
}
