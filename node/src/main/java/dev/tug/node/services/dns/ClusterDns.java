package dev.tug.node.services.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@link DnsAnswers} over UDP and TCP on one address. Sockets use SO_REUSEPORT, so every
 * agent on a host can answer on the cluster DNS address at once.
 */
public final class ClusterDns implements AutoCloseable {

    /** The classic UDP limit, for clients that do not say (EDNS) how much they take. */
    private static final int UDP_LIMIT = 512;

    private final EventLoopGroup loop;
    private final Channel tcp;
    private final Channel udp;

    private ClusterDns(EventLoopGroup loop, Channel tcp, Channel udp) {
        this.loop = loop;
        this.tcp = tcp;
        this.udp = udp;
    }

    /** Port 0 picks a free port, the same one for UDP and TCP. */
    public static ClusterDns start(InetSocketAddress address, DnsAnswers answers) throws IOException {
        EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("cluster-dns", true));
        try {
            Channel tcp = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                                    new LengthFieldPrepender(2), new TcpQueries(answers));
                        }
                    })
                    .bind(address).syncUninterruptibly().channel();
            int port = ((InetSocketAddress) tcp.localAddress()).getPort();
            Channel udp = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                    .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
                    .handler(new UdpQueries(answers))
                    .bind(new InetSocketAddress(address.getAddress(), port)).syncUninterruptibly().channel();
            return new ClusterDns(loop, tcp, udp);
        } catch (RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot serve DNS on " + address + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) tcp.localAddress();
    }

    private static Message parse(ByteBuf buffer) {
        try {
            return new Message(ByteBufUtil.getBytes(buffer));
        } catch (IOException e) {
            return null;
        }
    }

    private static final class UdpQueries extends SimpleChannelInboundHandler<DatagramPacket> {
        private final DnsAnswers answers;

        UdpQueries(DnsAnswers answers) {
            this.answers = answers;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Message query = parse(packet.content());
            if (query == null) {
                return; // not DNS: dropped, as a server must not answer garbage with packets
            }
            OPTRecord opt = query.getOPT();
            int limit = opt == null ? UDP_LIMIT : Math.max(UDP_LIMIT, opt.getPayloadSize());
            InetSocketAddress client = packet.sender();
            answers.answer(query).thenAccept(response -> ctx.writeAndFlush(
                    new DatagramPacket(Unpooled.wrappedBuffer(response.toWire(limit)), client)));
        }
    }

    private static final class TcpQueries extends SimpleChannelInboundHandler<ByteBuf> {
        private final DnsAnswers answers;

        TcpQueries(DnsAnswers answers) {
            this.answers = answers;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            Message query = parse(frame);
            if (query == null) {
                ctx.close();
                return;
            }
            answers.answer(query).thenAccept(response -> ctx.writeAndFlush(Unpooled.wrappedBuffer(response.toWire())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        tcp.close();
        udp.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
