package dev.tug.cli;

import dev.tug.controlplane.kubeconfig.Kubeconfig;
import dev.tug.model.Cluster;
import dev.tug.state.CertificateAuthority;
import dev.tug.state.ClusterRepository;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Export a cluster's client configuration.",
        subcommands = {ExportCommand.ExportKubeconfig.class})
final class ExportCommand extends CommandGroup {
    @Override
    protected String hint() {
        return "say what to export: `tug export kubeconfig NAME --admin`";
    }

    @Command(name = "kubeconfig", description = {
            "Merge a context named after the cluster into $KUBECONFIG (else ~/.kube/config) and make it current.",
            "With --admin it holds a client certificate for the cluster's admin, signed by the cluster CA."},
            footer = {"", "Examples:",
                    "  tug export kubeconfig demo --admin",
                    "  tug export kubeconfig demo --admin=2h --kubeconfig ./demo.kubeconfig",
                    "  tug export kubeconfig demo --server https://10.0.0.5:6443"})
    static final class ExportKubeconfig extends TugCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The cluster (optional when there is only one).")
        String name;

        @Option(names = "--admin", arity = "0..1", fallbackValue = "18h", paramLabel = "DURATION",
                description = "Add an admin client certificate valid this long (default 18h; e.g. 30m, 2h, 7d).")
        String admin;

        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Write here instead of $KUBECONFIG or ~/.kube/config.")
        Path kubeconfig;

        @Option(names = "--server", paramLabel = "URL",
                description = "API server URL. Default: https:// and the cluster's spec.controlPlaneEndpoint.")
        String server;

        ExportKubeconfig(Session session) {
            super(session);
        }

        @Override
        protected int run() throws Exception {
            ClusterRepository repository = repository();
            String cluster = ClusterNames.resolve(repository, name, "which cluster? give its NAME");
            Cluster spec = repository.requireCluster(cluster).value();
            String url = server != null ? server : endpoint(spec);
            CertificateAuthority ca = repository.certificateAuthority(cluster);
            String certificate = null;
            String key = null;
            if (admin != null) {
                CertificateAuthority.IssuedCertificate issued = ca.issue("admin", List.of("system:masters"), List.of(),
                        true, Durations.parse("--admin", admin));
                certificate = issued.certificatePem();
                key = issued.privateKeyPem();
            }
            Path file = kubeconfig != null ? kubeconfig : Kubeconfig.defaultPath(session.env.variables());
            Kubeconfig.merge(file, new Kubeconfig.Entry(cluster, url, ca.certificatePem(), certificate, key, null));
            session.out.println("kubeconfig: context \"" + cluster + "\" (" + url + ") written to " + file
                    + " and made current");
            if (admin == null) {
                session.out.println("No credentials were exported; add --admin for an admin client certificate.");
            }
            return 0;
        }

        private static String endpoint(Cluster cluster) {
            String endpoint = cluster.spec.controlPlaneEndpoint;
            if (endpoint == null || endpoint.isBlank()) {
                throw new UserException("the API endpoint of cluster " + cluster.name() + " is not known yet: "
                        + "run 'tug update cluster " + cluster.name() + " --yes' first, or pass --server URL");
            }
            return "https://" + endpoint;
        }
    }
}
