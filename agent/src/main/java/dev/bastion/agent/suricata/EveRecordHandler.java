package dev.bastion.agent.suricata;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the lines of one EVE connection into events for the listener. A record that cannot be read is
 * logged and skipped: one bad line must not cost the alerts that follow it.
 */
final class EveRecordHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger log = LoggerFactory.getLogger(EveRecordHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final EveListener listener;

    EveRecordHandler(String source, EveListener listener) {
        this.source = source;
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log.debug("{}: Suricata connected", source);
        listener.connected();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        log.debug("{}: Suricata disconnected", source);
        listener.disconnected();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        if (!line.isReadable()) {
            return;
        }
        EveEvent event;
        try {
            event = EveParser.parse(JSON.readTree(new ByteBufInputStream(line))).orElse(null);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("{}: skipped an EVE record: {}", source, e.getMessage());
            return;
        }
        if (event != null) {
            try {
                listener.event(event);
            } catch (RuntimeException e) {
                log.error("{}: EVE listener failed on {}", source, event, e);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            log.warn("{}: skipped an EVE record: {}", source, cause.getMessage());
            return;
        }
        log.warn("{}: closing the EVE connection: {}", source, cause.toString());
        ctx.close();
    }
}
