package dev.tug.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create",
        description = {"Create a cluster from flags (`tug create cluster`), or clusters and instance groups from a"
                + " YAML file (`tug create -f FILE`)."},
        subcommands = CreateClusterCommand.class,
        footer = {"", "Examples:",
                "  tug create cluster demo --cloud local",
                "  tug create -f demo.yaml",
                "  tug create cluster demo --cloud local --dry-run | tug create -f -"})
final class CreateCommand extends TugCommand {

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
            description = "YAML with Cluster and/or InstanceGroup documents; - reads standard input.")
    String file;

    @Option(names = "--ssh-public-key", paramLabel = "PATH",
            description = "SSH public key for new clusters. Default: ~/.ssh/id_ed25519.pub, else ~/.ssh/id_rsa.pub.")
    String sshPublicKey;

    CreateCommand(Session session) {
        super(session);
    }

    @Override
    protected int run() {
        if (file == null) {
            throw new UserException("give -f FILE, or a subcommand such as `tug create cluster`;"
                    + " see `tug create --help`");
        }
        var objects = ManifestFile.read(session, file);
        new ManifestApply(session, repository(), ManifestApply.Mode.CREATE, false).apply(objects, sshPublicKey);
        return 0;
    }
}
