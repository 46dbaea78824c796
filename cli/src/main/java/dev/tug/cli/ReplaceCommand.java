package dev.tug.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "replace",
        description = {"Replace clusters and instance groups with the ones in a YAML file.",
                "What the file leaves out gets its default again; the whole cluster is checked before anything"
                        + " is written, and a change someone else made meanwhile is reported, not overwritten."},
        footer = {"", "Examples:",
                "  tug get clusters demo -o yaml > demo.yaml; $EDITOR demo.yaml; tug replace -f demo.yaml"})
final class ReplaceCommand extends TugCommand {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
            description = "YAML with Cluster and/or InstanceGroup documents; - reads standard input.")
    String file;

    @Option(names = "--force", description = "Create what does not exist yet instead of failing.")
    boolean force;

    @Option(names = "--ssh-public-key", paramLabel = "PATH", description = "With --force: SSH key for new clusters.")
    String sshPublicKey;

    ReplaceCommand(Session session) {
        super(session);
    }

    @Override
    protected int run() {
        var objects = ManifestFile.read(session, file);
        new ManifestApply(session, repository(), ManifestApply.Mode.REPLACE, force).apply(objects, sshPublicKey);
        return 0;
    }
}
