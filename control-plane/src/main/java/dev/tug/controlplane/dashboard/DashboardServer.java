package dev.tug.controlplane.dashboard;

import dev.tug.controlplane.server.HttpsConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import javax.net.ssl.SSLContext;
import java.security.KeyStore;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code tug dashboard}: the web UI, run in the cluster as the dashboard add-on's pod. It keeps no state and no
 * credentials: each request acts with the token the operator signed in with.
 */
public final class DashboardServer implements AutoCloseable {
    private final Server jetty;
    private final ExecutorService reads;

    private DashboardServer(Server jetty, ExecutorService reads) {
        this.jetty = jetty;
        this.reads = reads;
    }

    /**
     * @param apiServer the API server's URL, e.g. {@code https://10.0.0.5:6443}
     * @param tls       trusts the cluster CA (null: the JDK's trust store)
     * @param staticDirectory where to read the page's files from instead of the jar, or null
     * @param serving   the dashboard's own certificate and key for HTTPS; null serves plain HTTP
     */
    public static DashboardServer start(String host, int port, String apiServer, SSLContext tls,
                                        java.nio.file.Path staticDirectory, KeyStore serving) throws Exception {
        KubeApi api = new KubeApi(apiServer, tls);
        ExecutorService reads = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "dashboard-read");
            thread.setDaemon(true);
            return thread;
        });
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("dashboard");
        Server jetty = new Server(threads);
        ServerConnector connector;
        if (serving == null) {
            connector = new ServerConnector(jetty);
        } else {
            connector = HttpsConnector.of(jetty, serving, null);
        }
        connector.setHost(host);
        connector.setPort(port);
        // followed logs may be quiet for a long time; the API server allows its watches as long
        connector.setIdleTimeout(java.time.Duration.ofHours(1).toMillis());
        jetty.addConnector(connector);
        jetty.setHandler(new DashboardHandler(api, new Overview(api, reads), new Listing(api), new ObjectDetails(api),
                new Actions(api, Clock.systemUTC()), staticDirectory));
        jetty.setStopTimeout(1000);
        try {
            jetty.start();
        } catch (Exception e) {
            reads.shutdownNow();
            throw e;
        }
        return new DashboardServer(jetty, reads);
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            // best effort on the way out
        }
        reads.shutdownNow();
    }
}
