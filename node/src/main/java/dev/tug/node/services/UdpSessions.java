package dev.tug.node.services;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * UDP through the proxy: each client address gets a session, a socket connected to one backend,
 * whose replies go back to that client from the service address. Sessions end after
 * {@link #IDLE_SECONDS} without traffic, as conntrack entries do.
 */
final class UdpSessions extends SimpleChannelInboundHandler<DatagramPacket> {

    static final long IDLE_SECONDS = 30;

    private record Session(ChannelFuture connected, long[] lastUsedNanos) {
    }

    private final Supplier<ServiceProxy.Route> route;
    private final ServiceCatalog catalog;
    private final Balancer balancer;
    /** Client address -> session; only touched on the listener's event loop. */
    private final Map<InetSocketAddress, Session> sessions = new HashMap<>();

    UdpSessions(Supplier<ServiceProxy.Route> route, ServiceCatalog catalog, Balancer balancer) {
        this.route = route;
        this.catalog = catalog;
        this.balancer = balancer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.executor().scheduleAtFixedRate(this::expire, IDLE_SECONDS, IDLE_SECONDS / 3, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress client = packet.sender();
        Session session = sessions.get(client);
        if (session == null || !session.connected().channel().isOpen() && session.connected().isDone()) {
            session = open(ctx.channel(), client);
            if (session == null) {
                return;
            }
        }
        session.lastUsedNanos()[0] = System.nanoTime();
        ByteBuf payload = packet.content().retain();
        session.connected().addListener((ChannelFuture connected) -> {
            if (connected.isSuccess()) {
                connected.channel().writeAndFlush(payload);
            } else {
                payload.release();
            }
        });
    }

    private Session open(Channel listener, InetSocketAddress client) {
        ServiceProxy.Route current = route.get();
        List<InetSocketAddress> backends = current == null ? List.of() : current.backends().current(catalog);
        InetSocketAddress target = balancer.choose(backends, client.getAddress(), current == null ? null : current.affinity(), 0);
        if (target == null) {
            return null;
        }
        ChannelFuture connected = new Bootstrap().group(listener.eventLoop()).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket reply) {
                        listener.writeAndFlush(new DatagramPacket(reply.content().retain(), client));
                    }
                })
                .connect(target);
        Session session = new Session(connected, new long[] {System.nanoTime()});
        sessions.put(client, session);
        return session;
    }

    private void expire() {
        long idle = TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
        long now = System.nanoTime();
        sessions.values().removeIf(session -> {
            boolean expired = now - session.lastUsedNanos()[0] > idle;
            if (expired) {
                session.connected().channel().close();
            }
            return expired;
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sessions.values().forEach(s -> s.connected().channel().close());
        sessions.clear();
        ctx.fireChannelInactive();
    }
}
