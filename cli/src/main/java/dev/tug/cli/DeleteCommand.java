package dev.tug.cli;

import dev.tug.bootstrap.Machine;
import dev.tug.controlplane.kubeconfig.Kubeconfig;

import dev.tug.state.ClusterNotFoundException;
import dev.tug.state.ClusterRepository;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete a cluster.", subcommands = DeleteCommand.DeleteCluster.class)
final class DeleteCommand extends CommandGroup {
    @Override
    protected String hint() {
        return "say what to delete: `tug delete cluster NAME`";
    }

    @Command(name = "cluster",
            description = {"Delete a cluster: without --yes, list what would be removed and change nothing.",
                    "For aws clusters it first deletes every cloud resource tagged as owned by the cluster (found by"
                            + " tag, whatever the state says), in dependency order, retrying what is still in use.",
                    "For local and metal clusters it first removes tug from every machine: the components stop,"
                            + " their pods are killed and tug's files, units and data are deleted.",
                    "Removes only the keys Tug keeps for the cluster; other files under its folder are left alone."},
            footer = {"", "Examples:", "  tug delete cluster demo", "  tug delete cluster demo --yes"})
    static final class DeleteCluster extends TugCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String positionalName;
        @Option(names = "--name", paramLabel = "NAME", description = "Cluster name.") String flagName;
        @Option(names = {"-y", "--yes"}, description = "Really delete.") boolean yes;
        @Option(names = {"-i", "--ssh-private-key"}, paramLabel = "PATH",
                description = "metal: key to log in with. Default: ~/.ssh/id_ed25519, id_ecdsa or id_rsa.")
        java.nio.file.Path sshPrivateKey;
        @Option(names = "--max-wait", paramLabel = "DURATION", defaultValue = "15m",
                description = "aws: how long to keep retrying resources that are still in use (e.g. 90s, 15m)."
                        + " Default: ${DEFAULT-VALUE}.")
        String maxWait;

        DeleteCluster(Session session) {
            super(session);
        }

        @Override
        protected int run() throws Exception {
            String name = ClusterNames.pick(positionalName, flagName);
            java.time.Duration patience = Durations.parse("--max-wait", maxWait);
            ClusterRepository repository = repository();
            dev.tug.model.Cluster spec = repository.cluster(name).map(dev.tug.state.Versioned::value).orElse(null);
            List<String> keys = repository.ownedKeys(name);
            if (keys.isEmpty()) {
                throw new ClusterNotFoundException(name, repository.store().url());
            }
            if (spec == null) {
                session.err.println("Cluster " + name + " has no spec, but an interrupted create or delete left"
                        + " state behind; it is listed below.");
            }
            dev.tug.engine.Cloud cloud = spec != null && CloudProvisioning.handles(spec)
                    ? CloudProvisioning.open(session, repository, spec) : null;
            try {
                return delete(name, repository, spec, keys, cloud, patience);
            } finally {
                if (cloud != null) {
                    cloud.close();
                }
            }
        }

        private int delete(String name, ClusterRepository repository, dev.tug.model.Cluster spec, List<String> keys,
                           dev.tug.engine.Cloud cloud, java.time.Duration patience) throws Exception {
            List<dev.tug.engine.OwnedResource> owned = List.of();
            if (cloud != null) {
                session.out.println((yes ? "Deleting" : "Will delete") + " the cloud resources tagged as owned by "
                        + name + ":");
                owned = CloudProvisioning.discover(session, cloud);
                if (owned.isEmpty()) {
                    session.out.println("  (none)");
                }
                session.out.println();
            }
            session.out.println((yes ? "Deleting" : "Will delete") + " state of cluster " + name + " in "
                    + repository.store().url() + ":");
            keys.forEach(key -> session.out.println("  " + key));
            List<String> foreign = repository.foreignKeys(name);
            if (!foreign.isEmpty()) {
                session.out.println("Leaving alone (not written by tug):");
                foreign.forEach(key -> session.out.println("  " + key));
            }
            // only machines tug has a record of were touched; without any, there is nothing to remove from them
            boolean touched = !new dev.tug.bootstrap.MachineRecords(repository.store(), name).all().isEmpty();
            ClusterMachines machines = spec != null && touched && ClusterMachines.handles(spec)
                    ? ClusterMachines.open(session, repository, spec, "delete") : null;
            List<Machine> targets = machines == null ? List.of() : machineTargets(machines);
            if (!targets.isEmpty()) {
                session.out.println();
                session.out.println((yes ? "Removing" : "Will remove") + " tug from machines (components stopped,"
                        + " their pods killed, their files deleted):");
                Table table = new Table("MACHINE", "GROUP", "ADDRESS", "REACHED AS");
                targets.forEach(m -> table.row(m.id(), m.instanceGroup(), m.address(),
                        m.ssh() == null ? "local" : m.ssh()));
                table.print(session.out);
                session.out.println("and the kubeconfig context " + name + " in " + ClusterMachines.kubeconfigPath(session));
            }
            if (!yes) {
                session.out.println();
                session.out.println("Must specify --yes to delete cluster " + name + ".");
                return 0;
            }
            if (cloud != null) {
                CloudProvisioning.delete(session, cloud, name, owned, patience);
            }
            if (machines != null) {
                var outcome = machines.bootstrapper(session, sshPrivateKey).tearDown(targets,
                        machines.cloud.systemdAllowed());
                if (outcome.failed()) {
                    throw new UserException("could not remove tug from " + outcome.failures().size()
                            + " machine(s): " + outcome.describeFailures()
                            + ". The cluster's state is kept;"
                            + " fix this and re-run `tug delete cluster " + name + " --yes`");
                }
                if (Kubeconfig.remove(ClusterMachines.kubeconfigPath(session), name)) {
                    session.err.println("kubeconfig: context " + name + " removed");
                }
                keys = repository.ownedKeys(name);
            }
            repository.delete(name, keys);
            session.out.println("Deleted cluster: " + name);
            return 0;
        }

        /** The machines tug has set up (or started to): those it has a record of. */
        private static List<Machine> machineTargets(ClusterMachines machines) {
            var records = machines.records.all();
            List<Machine> targets = new java.util.ArrayList<>(machines.cloud.machines().stream()
                    .filter(m -> records.containsKey(m.id())).toList());
            targets.addAll(machines.cloud.surplus());
            return targets;
        }
    }
}
