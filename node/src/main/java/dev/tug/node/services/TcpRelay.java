package dev.tug.node.services;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;

/**
 * Copies one direction of a proxied connection to the peer channel, reading the next chunk only
 * once the last one is written (so a slow reader slows the writer instead of filling memory).
 * A half-close is passed on as a half-close, so request/EOF/response clients work.
 */
final class TcpRelay extends ChannelInboundHandlerAdapter {

    private final Channel peer;

    TcpRelay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        peer.writeAndFlush(message).addListener((ChannelFutureListener) written -> {
            if (written.isSuccess()) {
                ctx.channel().read();
            } else {
                written.channel().close();
                ctx.channel().close();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent && peer instanceof SocketChannel socket) {
            socket.shutdownOutput().addListener(done -> {
                if (((SocketChannel) ctx.channel()).isOutputShutdown() || !done.isSuccess()) {
                    closeBoth(ctx);
                }
            });
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeBoth(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeBoth(ctx);
    }

    private void closeBoth(ChannelHandlerContext ctx) {
        // what was written is delivered first
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.channel().close();
    }
}
