package dev.tug.node.services;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The node agent's service proxy, in user space: it listens on every Service's cluster IP and
 * port, and on this node's address at every node port, and joins each connection (TCP) or each
 * client's datagrams (UDP) to a ready endpoint. Listeners follow the Services; endpoints are
 * looked up per connection, so a change in readiness applies at once.
 *
 * <p>Sockets are opened with SO_REUSEPORT: several agents on one host (a local cluster) all
 * serve the same cluster IPs, and the kernel spreads connections among them.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final int CONNECT_ATTEMPTS = 3;

    /** An address and port the proxy answers on. */
    record Frontend(String protocol, String ip, int port) {
        @Override
        public String toString() {
            return ip + ":" + port + "/" + protocol;
        }
    }

    /** Where a frontend leads; affinity is null unless the Service asks for ClientIP. */
    record Route(Backends backends, Duration affinity) {
    }

    private final ServiceCatalog catalog;
    private final String nodeAddress;
    private final Set<String> skippedIps;
    private final EventLoopGroup loops = new NioEventLoopGroup(2, new DefaultThreadFactory("service-proxy", true));
    private final ExecutorService syncs = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "service-proxy-sync");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean syncPending = new AtomicBoolean();
    private final Map<Frontend, Route> routes = new ConcurrentHashMap<>();
    private final Map<Frontend, Balancer> balancers = new ConcurrentHashMap<>();
    /** Open listeners; changed only by the sync thread. */
    private final Map<Frontend, Channel> listeners = new ConcurrentHashMap<>();
    private final Set<Frontend> failed = ConcurrentHashMap.newKeySet();

    /**
     * @param nodeAddress where node ports are served
     * @param skippedIps cluster IPs something else on this node answers (the cluster DNS)
     */
    public ServiceProxy(ServiceCatalog catalog, String nodeAddress, Set<String> skippedIps) {
        this.catalog = catalog;
        this.nodeAddress = nodeAddress;
        this.skippedIps = Set.copyOf(skippedIps);
    }

    public void start() {
        catalog.onChange(this::requestSync);
        requestSync();
    }

    /** Frontends that are open now; for tests and diagnostics. */
    public Set<String> listening() {
        return listeners.keySet().stream().map(Frontend::toString).collect(Collectors.toSet());
    }

    private void requestSync() {
        if (syncPending.compareAndSet(false, true)) {
            syncs.execute(() -> {
                syncPending.set(false);
                try {
                    sync();
                } catch (RuntimeException e) {
                    LOG.warn("service proxy update failed", e);
                }
            });
        }
    }

    private void sync() {
        Map<Frontend, Route> desired = desired();
        routes.putAll(desired);
        for (Frontend frontend : Set.copyOf(listeners.keySet())) {
            if (!desired.containsKey(frontend)) {
                listeners.remove(frontend).close();
                balancers.remove(frontend);
            }
        }
        failed.retainAll(desired.keySet());
        routes.keySet().retainAll(desired.keySet());
        for (Frontend frontend : desired.keySet()) {
            if (!listeners.containsKey(frontend)) {
                open(frontend);
            }
        }
    }

    private Map<Frontend, Route> desired() {
        Map<Frontend, Route> desired = new HashMap<>();
        for (Service service : catalog.services()) {
            ServiceSpec spec = service.getSpec();
            String ip = spec == null ? null : spec.getClusterIP();
            if (ip == null || ip.isEmpty() || ip.equals("None") || "ExternalName".equals(spec.getType())) {
                continue;
            }
            Duration affinity = "ClientIP".equals(spec.getSessionAffinity())
                    ? Duration.ofSeconds(spec.getSessionAffinityConfig() == null || spec.getSessionAffinityConfig().getClientIP() == null
                            ? 10800 : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds())
                    : null;
            for (ServicePort port : spec.getPorts()) {
                String protocol = Objects.requireNonNullElse(port.getProtocol(), "TCP");
                if (!protocol.equals("TCP") && !protocol.equals("UDP")) {
                    continue;
                }
                Route route = new Route(new Backends(service.getMetadata().getNamespace(), service.getMetadata().getName(),
                        Objects.requireNonNullElse(port.getName(), ""), protocol), affinity);
                if (!skippedIps.contains(ip)) {
                    desired.put(new Frontend(protocol, ip, port.getPort()), route);
                }
                if (port.getNodePort() != null && port.getNodePort() > 0) {
                    desired.put(new Frontend(protocol, nodeAddress, port.getNodePort()), route);
                }
            }
        }
        return desired;
    }

    private void open(Frontend frontend) {
        try {
            ChannelFuture bound = frontend.protocol().equals("TCP") ? tcp(frontend) : udp(frontend);
            Channel channel = bound.syncUninterruptibly().channel();
            listeners.put(frontend, channel);
            if (failed.remove(frontend)) {
                LOG.info("service proxy now serves {}", frontend);
            }
        } catch (Exception e) { // Netty rethrows the bind's BindException or SocketException unchecked
            if (failed.add(frontend)) {
                LOG.warn("service proxy cannot serve {}: {}", frontend, e.getMessage());
            }
        }
    }

    private ChannelFuture tcp(Frontend frontend) {
        return new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        client.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                connect(frontend, client, 0);
                            }
                        });
                    }
                })
                .bind(frontend.ip(), frontend.port());
    }

    /** Joins the client to a backend, trying others when one refuses; no backend closes the client at once. */
    private void connect(Frontend frontend, SocketChannel client, int attempt) {
        Route route = routes.get(frontend);
        List<InetSocketAddress> backends = route == null ? List.of() : route.backends().current(catalog);
        InetSocketAddress target = attempt >= Math.min(CONNECT_ATTEMPTS, backends.size()) ? null
                : balancers.computeIfAbsent(frontend, f -> new Balancer())
                        .choose(backends, client.remoteAddress().getAddress(), route.affinity(), attempt);
        if (target == null) {
            client.config().setOption(ChannelOption.SO_LINGER, 0);
            client.close();
            return;
        }
        new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new TcpRelay(client))
                .connect(target).addListener((ChannelFuture connected) -> {
                    if (!connected.isSuccess()) {
                        connect(frontend, client, attempt + 1);
                        return;
                    }
                    Channel backend = connected.channel();
                    client.pipeline().addLast(new TcpRelay(backend));
                    client.read();
                    backend.read();
                });
    }

    private ChannelFuture udp(Frontend frontend) {
        return new Bootstrap().group(loops).channel(NioDatagramChannel.class)
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new UdpSessions(() -> routes.get(frontend), catalog,
                        balancers.computeIfAbsent(frontend, f -> new Balancer())))
                .bind(frontend.ip(), frontend.port());
    }

    @Override
    public void close() {
        syncs.shutdownNow();
        try {
            syncs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listeners.values().forEach(Channel::close);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
