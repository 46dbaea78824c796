package dev.tug.node.services.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves {@link DnsAnswers} over UDP and TCP on one address. Both sockets set SO_REUSEPORT so that
 * several agents on one host can serve the same address side by side (the kernel spreads queries).
 */
public final class ClusterDns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterDns.class);

    /** Plain DNS over UDP without EDNS: RFC 1035's limit. */
    static final int CLASSIC_UDP_SIZE = 512;
    private static final int MAX_UDP_SIZE = 4096;
    private static final int MAX_MESSAGE = 65535;
    private static final int HEADER_LENGTH = 12;
    private static final int TCP_IDLE_SECONDS = 30;
    private static final int PORT_ATTEMPTS = 5;

    private final EventLoopGroup group;
    private final Channel tcp;
    private final Channel udp;
    private final InetSocketAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClusterDns(EventLoopGroup group, Channel tcp, Channel udp) {
        this.group = group;
        this.tcp = tcp;
        this.udp = udp;
        this.address = (InetSocketAddress) tcp.localAddress();
    }

    /**
     * Binds TCP and UDP on {@code address}. With port 0 a free port is picked (TCP's, which UDP then
     * takes too; if UDP finds it taken, a few other ports are tried).
     */
    public static ClusterDns start(InetSocketAddress address, DnsAnswers answers) {
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("cluster-dns", true));
        try {
            int attempts = address.getPort() == 0 ? PORT_ATTEMPTS : 1;
            for (int attempt = 1; ; attempt++) {
                Channel tcp = bindTcp(group, address, answers);
                InetSocketAddress bound = (InetSocketAddress) tcp.localAddress();
                try {
                    Channel udp = bindUdp(group, new InetSocketAddress(address.getAddress(), bound.getPort()), answers);
                    return new ClusterDns(group, tcp, udp);
                } catch (Exception e) { // Netty rethrows the bind's SocketException unchecked
                    tcp.close().syncUninterruptibly();
                    if (attempt >= attempts) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    /** The bound address; UDP and TCP share its port. */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops serving; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        tcp.close().syncUninterruptibly();
        udp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static Channel bindTcp(EventLoopGroup group, InetSocketAddress address, DnsAnswers answers) {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new ReadTimeoutHandler(TCP_IDLE_SECONDS),
                                new LengthFieldBasedFrameDecoder(MAX_MESSAGE + 2, 0, 2, 0, 2),
                                new LengthFieldPrepender(2),
                                new TcpQueries(answers));
                    }
                })
                .bind(address).syncUninterruptibly().channel();
    }

    private static Channel bindUdp(EventLoopGroup group, InetSocketAddress address, DnsAnswers answers) {
        return new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .handler(new UdpQueries(answers))
                .bind(address).syncUninterruptibly().channel();
    }

    /** One DNS message per datagram; replies are cut to what the client said it can take. */
    private static final class UdpQueries extends SimpleChannelInboundHandler<DatagramPacket> {
        private final DnsAnswers answers;

        UdpQueries(DnsAnswers answers) {
            this.answers = answers;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] bytes = ByteBufUtil.getBytes(packet.content());
            InetSocketAddress client = packet.sender();
            Channel channel = ctx.channel();
            respond(bytes, answers, response -> {
                int limit = udpLimit(response.query());
                byte[] wire = response.message().toWire(limit); // sets TC when it had to leave records out
                channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), client));
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("UDP DNS error", cause); // keep serving: one bad datagram must not close the socket
        }
    }

    /** Two-byte length framed messages; several may be in flight on one connection. */
    private static final class TcpQueries extends SimpleChannelInboundHandler<ByteBuf> {
        private final DnsAnswers answers;

        TcpQueries(DnsAnswers answers) {
            this.answers = answers;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            byte[] bytes = ByteBufUtil.getBytes(frame);
            Channel channel = ctx.channel();
            if (bytes.length < HEADER_LENGTH) {
                channel.close(); // not even a header: the stream cannot be trusted any further
                return;
            }
            respond(bytes, answers, response ->
                    channel.writeAndFlush(Unpooled.wrappedBuffer(response.message().toWire(MAX_MESSAGE))));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("TCP DNS connection error", cause);
            ctx.close().addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    private record Response(Optional<Message> query, Message message) {
    }

    private interface Reply {
        void send(Response response);
    }

    /**
     * Parses and answers one message. Unparseable ones with a readable header get FORMERR; shorter
     * ones, and anything that is itself a response, are dropped (answering those invites loops).
     */
    private static void respond(byte[] bytes, DnsAnswers answers, Reply reply) {
        Message query;
        try {
            query = new Message(bytes);
        } catch (IOException | RuntimeException e) {
            formatError(bytes).ifPresent(error -> reply.send(new Response(Optional.empty(), error)));
            return;
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return;
        }
        CompletableFuture<Message> answered;
        try {
            answered = answers.answer(query);
        } catch (RuntimeException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        answered.whenComplete((message, failure) -> {
            Message response = failure == null ? message : DnsAnswers.error(query, Rcode.SERVFAIL);
            if (failure != null) {
                log.warn("DNS query failed: {}", query.getQuestion(), failure);
            }
            reply.send(new Response(Optional.of(query), response));
        });
    }

    private static Optional<Message> formatError(byte[] bytes) {
        if (bytes.length < HEADER_LENGTH || (bytes[2] & 0x80) != 0) {
            return Optional.empty();
        }
        int id = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
        Message error = new Message(id);
        Header header = error.getHeader();
        header.setFlag(Flags.QR);
        header.setOpcode((bytes[2] >> 3) & 0xf);
        header.setRcode(Rcode.FORMERR);
        return Optional.of(error);
    }

    /** The client's EDNS payload size if it sent one (within sane bounds), else the classic 512 bytes. */
    private static int udpLimit(Optional<Message> query) {
        OPTRecord opt = query.map(Message::getOPT).orElse(null);
        if (opt == null) {
            return CLASSIC_UDP_SIZE;
        }
        return Math.max(CLASSIC_UDP_SIZE, Math.min(opt.getPayloadSize(), MAX_UDP_SIZE));
    }
}
