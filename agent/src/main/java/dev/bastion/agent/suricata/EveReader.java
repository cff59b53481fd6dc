package dev.bastion.agent.suricata;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The agent's end of Suricata's EVE output. Suricata's unix_stream output is a client: it connects to a
 * socket someone else listens on (and reconnects after a restart), so the agent listens, with Netty's native
 * epoll transport, and reads one JSON record per line.
 */
public final class EveReader implements AutoCloseable {
    /** Alert and flow records take a few KiB, stats about 10 KiB; anything far larger is not EVE. */
    private static final int MAX_RECORD = 1 << 20;

    private final Path socket;
    private final EventLoopGroup group;
    private final Channel server;

    /** Listens on {@code socket}, replacing a stale socket file a previous agent left there. */
    public EveReader(Path socket, EveListener listener) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Netty's epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        Files.deleteIfExists(socket);
        this.socket = socket;
        String source = "EVE " + socket;
        group = new EpollEventLoopGroup(1, new DefaultThreadFactory("suricata-eve", true));
        try {
            server = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_RECORD), new EveRecordHandler(source, listener));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toFile()))
                    .sync()
                    .channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    /** Stops listening, closes open connections and removes the socket file. */
    @Override
    public void close() throws IOException {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        Files.deleteIfExists(socket);
    }
}
