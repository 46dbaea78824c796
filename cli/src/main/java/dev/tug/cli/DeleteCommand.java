package dev.tug.cli;

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
                    "Removes only the keys Tug keeps for the cluster; other files under its folder are left alone."},
            footer = {"", "Examples:", "  tug delete cluster demo", "  tug delete cluster demo --yes"})
    static final class DeleteCluster extends TugCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String positionalName;
        @Option(names = "--name", paramLabel = "NAME", description = "Cluster name.") String flagName;
        @Option(names = {"-y", "--yes"}, description = "Really delete.") boolean yes;

        DeleteCluster(Session session) {
            super(session);
        }

        @Override
        protected int run() {
            String name = ClusterNames.pick(positionalName, flagName);
            ClusterRepository repository = repository();
            boolean exists = repository.cluster(name).isPresent();
            List<String> keys = repository.ownedKeys(name);
            if (keys.isEmpty()) {
                throw new ClusterNotFoundException(name, repository.store().url());
            }
            if (!exists) {
                session.err.println("Cluster " + name + " has no spec, but an interrupted create or delete left"
                        + " state behind; it is listed below.");
            }
            session.out.println((yes ? "Deleting" : "Will delete") + " state of cluster " + name + " in "
                    + repository.store().url() + ":");
            keys.forEach(key -> session.out.println("  " + key));
            List<String> foreign = repository.foreignKeys(name);
            if (!foreign.isEmpty()) {
                session.out.println("Leaving alone (not written by tug):");
                foreign.forEach(key -> session.out.println("  " + key));
            }
            if (!yes) {
                session.out.println();
                session.out.println("Must specify --yes to delete cluster " + name + ".");
                return 0;
            }
            repository.delete(name, keys);
            session.out.println("Deleted cluster: " + name);
            return 0;
        }
    }
}
