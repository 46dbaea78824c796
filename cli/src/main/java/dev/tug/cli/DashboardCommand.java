package dev.tug.cli;

import dev.tug.controlplane.dashboard.DashboardServer;
import dev.tug.controlplane.server.TlsFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

@Command(name = "dashboard", description = {
        "Run the web dashboard: overview, nodes, workloads, pods with logs and events, and \"Create an app\".",
        "It keeps no credentials: operators sign in with a bearer token (`tug get secrets admin --name NAME`)",
        "and every request acts with that token. `tug update cluster` runs it in the cluster as the",
        "dashboard add-on; run it by hand only to try it."},
        footer = {"", "Examples:",
                "  tug dashboard --server https://127.20.0.1:6443 --certificate-authority ~/.tug/local/demo/ca.crt",
                "  tug dashboard --listen 127.0.0.1:9090 --server https://10.0.0.5:6443 \\",
                "      --certificate-authority /etc/tug/pki/ca.crt"})
final class DashboardCommand extends TugCommand {
    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9090",
            description = "Address to serve HTTP on. Default: ${DEFAULT-VALUE}. Port 0 picks a free one.")
    String listen;

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The API server, e.g. https://10.0.0.5:6443.")
    String server;

    @Option(names = "--certificate-authority", paramLabel = "FILE",
            description = "The cluster CA (PEM) the API server's certificate is checked against. Default: the JDK's trust store.")
    Path certificateAuthority;

    @Option(names = "--tls-cert-file", paramLabel = "FILE",
            description = {"Serve HTTPS with this certificate (PEM) and --tls-private-key-file. Without them the"
                    + " certificate and key may come as PEM text in $TUG_DASHBOARD_TLS_CERT and $TUG_DASHBOARD_TLS_KEY"
                    + " (the add-on passes them from a Secret); with neither, plain HTTP."})
    Path tlsCert;

    @Option(names = "--tls-private-key-file", paramLabel = "FILE", description = "The certificate's private key (PEM).")
    Path tlsKey;

    DashboardCommand(Session session) {
        super(session);
    }

    @Override
    protected int run() throws Exception {
        ListenAddress address = ListenAddress.parse(listen, "127.0.0.1:9090");
        if (!server.startsWith("https://") && !server.startsWith("http://")) {
            throw new UserException("--server must be a URL like https://10.0.0.5:6443, not \"" + server + "\"");
        }
        javax.net.ssl.SSLContext tls = null;
        if (certificateAuthority != null) {
            if (!Files.isReadable(certificateAuthority)) {
                throw new UserException("cannot read --certificate-authority " + certificateAuthority);
            }
            tls = TlsFiles.trustContext(Files.readString(certificateAuthority));
        }
        java.security.KeyStore serving = serving();
        DashboardServer dashboard;
        try {
            // for work on the page itself: serve its files from the source tree, so a reload shows an edit
            Path staticDirectory = session.env.get("TUG_DASHBOARD_STATIC").map(Path::of).orElse(null);
            dashboard = DashboardServer.start(address.host(), address.port(), server, tls, staticDirectory, serving);
        } catch (IOException e) {
            throw ListenAddress.cannotServe(listen, e, "choose another with --listen HOST:PORT");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dashboard.close();
            stopped.countDown();
        }, "shutdown"));
        String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
        session.out.println("Dashboard listening on " + (serving == null ? "http" : "https") + "://" + host + ":" + dashboard.port() + "/ (API server " + server + ")");
        session.out.flush();
        stopped.await();
        return 0;
    }

    /** The certificate to serve HTTPS with, from the flags or the environment; null for plain HTTP. */
    private java.security.KeyStore serving() throws IOException {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UserException("--tls-cert-file and --tls-private-key-file go together");
        }
        if (tlsCert != null) {
            for (Path file : List.of(tlsCert, tlsKey)) {
                if (!Files.isReadable(file)) {
                    throw new UserException("cannot read " + file);
                }
            }
            return TlsFiles.keyStore(tlsCert, tlsKey);
        }
        var cert = session.env.get("TUG_DASHBOARD_TLS_CERT").filter(v -> !v.isBlank());
        var key = session.env.get("TUG_DASHBOARD_TLS_KEY").filter(v -> !v.isBlank());
        if (cert.isPresent() != key.isPresent()) {
            throw new UserException("$TUG_DASHBOARD_TLS_CERT and $TUG_DASHBOARD_TLS_KEY go together");
        }
        return cert.isEmpty() ? null : TlsFiles.keyStore(cert.get(), key.get(), "$TUG_DASHBOARD_TLS_CERT with $TUG_DASHBOARD_TLS_KEY");
    }
}
