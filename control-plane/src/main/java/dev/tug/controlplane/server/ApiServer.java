package dev.tug.controlplane.server;

import dev.tug.controlplane.controllers.ControllerManager;
import dev.tug.controlplane.controllers.DefaultServices;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.store.SqliteStore;
import dev.tug.controlplane.store.Store;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code tug server}: the store, the controllers that run beside it, and Jetty serving the
 * Kubernetes API over HTTPS with client-certificate and bearer-token authentication.
 */
public final class ApiServer implements AutoCloseable {

    /** Watches stay open for up to an hour with nothing to send; the connection must outlive them. */
    private static final long IDLE_TIMEOUT_MILLIS = 2 * 3600 * 1000L;

    private final Server jetty;
    private final Store store;
    private final ControllerManager controllers;
    private final ServerConfig config;

    private ApiServer(Server jetty, Store store, ControllerManager controllers, ServerConfig config) {
        this.jetty = jetty;
        this.store = store;
        this.controllers = controllers;
        this.config = config;
    }

    public static ApiServer start(ServerConfig requested) throws Exception {
        Files.createDirectories(requested.dataDir());
        ServerConfig config = requested.hasTlsFiles() ? requested : LocalPki.ensure(requested);
        if (config.tlsCertFile() == null || config.tlsKeyFile() == null || config.clientCaFile() == null) {
            throw new IllegalArgumentException("--tls-cert-file, --tls-private-key-file and --client-ca-file go together");
        }
        Authenticator authenticator = Authenticator.fromTokenFile(config.tokenAuthFile());
        Store store = SqliteStore.open(config.dataDir());
        ControllerManager controllers = null;
        try {
            ResourceService service = new ResourceService(store, Clock.systemUTC(), config.services());
            controllers = ControllerManager.start(service, config.controllers());
            Server jetty = jetty(config, new ApiHandler(service, authenticator, config.version()));
            ApiServer server = new ApiServer(jetty, store, controllers, config);
            boolean ownPki = !requested.hasTlsFiles();
            // the kubeconfig is written before the port opens, so whoever sees the port finds it;
            // only with port 0 must the port be bound first to know it
            if (ownPki && config.port() != 0) {
                LocalPki.writeAdminKubeconfig(config.dataDir(), server.url(config.port()));
            }
            ((ServerConnector) jetty.getConnectors()[0]).open();
            if (ownPki && config.port() == 0) {
                LocalPki.writeAdminKubeconfig(config.dataDir(), server.url());
            }
            DefaultServices.ensure(service, config.endpointAddress(), server.port());
            jetty.start();
            return server;
        } catch (Exception e) {
            if (controllers != null) {
                controllers.close();
            }
            store.close();
            throw e;
        }
    }

    private static Server jetty(ServerConfig config, ApiHandler handler) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(400, 8);
        threads.setName("api");
        Server server = new Server(threads);
        ServerConnector connector = HttpsConnector.of(server,
                TlsFiles.keyStore(config.tlsCertFile(), config.tlsKeyFile()), TlsFiles.trustStore(config.clientCaFile()));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(2000);
        return server;
    }

    /** The bound port (differs from the configured one when that was 0). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public String url() {
        return url(port());
    }

    private String url(int port) {
        return "https://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port;
    }

    /** The admin kubeconfig written when the server made its own certificates, else null. */
    public Path adminKubeconfig() {
        Path file = config.dataDir().resolve(LocalPki.ADMIN_KUBECONFIG);
        return Files.exists(file) ? file : null;
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            // stopping is best effort; the store below must still be closed
        }
        controllers.close();
        store.close();
    }
}
