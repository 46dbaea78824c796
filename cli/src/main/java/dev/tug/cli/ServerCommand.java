package dev.tug.cli;

import dev.tug.controlplane.server.ApiServer;
import dev.tug.controlplane.server.ServerConfig;
import dev.tug.controlplane.store.StoreException;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", description = {
        "Run the Kubernetes-compatible API server with its embedded store and controllers.",
        "Without certificate files it makes a CA of its own in DATA_DIR/pki and writes",
        "DATA_DIR/admin.kubeconfig for kubectl."},
        footer = {"", "Examples:",
                "  tug server --data-dir /tmp/tug-server",
                "  kubectl --kubeconfig /tmp/tug-server/admin.kubeconfig get namespaces",
                "  tug server --data-dir /var/lib/tug/apiserver --listen 10.0.0.5:6443 \\",
                "      --tls-cert-file /etc/tug/pki/apiserver.crt \\",
                "      --tls-private-key-file /etc/tug/pki/apiserver.key \\",
                "      --client-ca-file /etc/tug/pki/ca.crt --token-auth-file /etc/tug/tokens.csv"})
final class ServerCommand extends TugCommand {
    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "Where the object store (and, without certificate files, the PKI) lives.")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6443",
            description = "Address to serve HTTPS on. Default: ${DEFAULT-VALUE}. Port 0 picks a free one.")
    String listen;

    @Option(names = "--tls-cert-file", paramLabel = "FILE", description = "Serving certificate (PEM), signed by the cluster CA.")
    Path tlsCert;

    @Option(names = "--tls-private-key-file", paramLabel = "FILE", description = "Its private key (PEM).")
    Path tlsKey;

    @Option(names = "--client-ca-file", paramLabel = "FILE", description = "CA that signs client certificates (PEM).")
    Path clientCa;

    @Option(names = "--token-auth-file", paramLabel = "FILE",
            description = "Bearer tokens, one per line: token,user,uid,\"group1,group2\".")
    Path tokenFile;

    ServerCommand(Session session) {
        super(session);
    }

    @Override
    protected int run() throws Exception {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new UserException("--listen must be HOST:PORT, e.g. 127.0.0.1:6443, not \"" + listen + "\"");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UserException("--listen port must be a number, not \"" + listen.substring(colon + 1) + "\"");
        }
        ServerConfig config = new ServerConfig(host, port, dataDir, tlsCert, tlsKey, clientCa, tokenFile,
                VersionCommand.version());
        ApiServer server;
        try {
            server = ApiServer.start(config);
        } catch (StoreException e) {
            throw new UserException("cannot open the store in " + dataDir + ": " + e.getMessage()
                    + " (is another tug server using it?)");
        } catch (IOException e) {
            String why = e.getCause() instanceof BindException bind ? bind.getMessage() : e.getMessage();
            throw new UserException("cannot serve on " + listen + ": " + why
                    + " (another server on that port? choose one with --listen HOST:PORT)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        session.out.println("API server listening on " + server.url() + " (data in " + dataDir + ")");
        if (server.adminKubeconfig() != null) {
            session.out.println("kubectl --kubeconfig " + server.adminKubeconfig() + " get namespaces");
        }
        session.out.flush();
        stopped.await();
        return 0;
    }
}
