package dev.bastion.functions.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Protocol bytes as the protocols' own client libraries write them: Netty's HTTP, Redis and DNS encoders and
 * the JDK's TLS engine. Tests build traffic here rather than typing bytes by hand.
 */
public final class Wire {
    private Wire() {
    }

    /** Everything an encoder wrote for {@code message}, concatenated. */
    private static byte[] encode(EmbeddedChannel channel, Object... messages) {
        for (Object m : messages) {
            channel.writeOutbound(m);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object written;
        while ((written = channel.readOutbound()) != null) {
            ByteBuf buf = written instanceof DatagramPacket p ? p.content() : (ByteBuf) written;
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        channel.finishAndReleaseAll();
        return out.toByteArray();
    }

    public static FullHttpRequest httpRequest(String method, String uri, String host) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        if (host != null) {
            request.headers().set(HttpHeaderNames.HOST, host);
        }
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return request;
    }

    public static byte[] http(FullHttpRequest... requests) {
        return encode(new EmbeddedChannel(new HttpRequestEncoder()), (Object[]) requests);
    }

    public static byte[] http(String method, String uri, String host) {
        return http(httpRequest(method, uri, host));
    }

    /** Redis commands as RESP arrays of bulk strings, as clients send them. */
    public static byte[] redis(String... words) {
        List<RedisMessage> parts = new ArrayList<>();
        for (String w : words) {
            parts.add(new FullBulkStringRedisMessage(Unpooled.copiedBuffer(w, StandardCharsets.UTF_8)));
        }
        return encode(new EmbeddedChannel(new RedisEncoder()), new ArrayRedisMessage(parts));
    }

    /** A bulk argument of arbitrary bytes (for values that look like commands or hold CRLFs). */
    public static byte[] redisWithValue(String command, String key, byte[] value) {
        List<RedisMessage> parts = List.of(
                new FullBulkStringRedisMessage(Unpooled.copiedBuffer(command, StandardCharsets.UTF_8)),
                new FullBulkStringRedisMessage(Unpooled.copiedBuffer(key, StandardCharsets.UTF_8)),
                new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(value)));
        return encode(new EmbeddedChannel(new RedisEncoder()), new ArrayRedisMessage(parts));
    }

    public static byte[] redisInline(String line) {
        return encode(new EmbeddedChannel(new RedisEncoder()), new InlineCommandRedisMessage(line));
    }

    /** A DNS query datagram's payload asking for {@code names}. */
    public static byte[] dnsQuery(int id, String... names) {
        DatagramDnsQuery query = new DatagramDnsQuery(new InetSocketAddress("10.1.0.2", 40000),
                new InetSocketAddress("10.1.0.3", 53), id);
        for (String name : names) {
            query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.A));
        }
        return encode(new EmbeddedChannel(new DatagramDnsQueryEncoder()), query);
    }

    /** A DNS query as sent on TCP: two-byte length, then the message. */
    public static byte[] dnsTcpQuery(int id, String... names) {
        DefaultDnsQuery query = new DefaultDnsQuery(id);
        for (String name : names) {
            query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.AAAA));
        }
        return encode(new EmbeddedChannel(new TcpDnsQueryEncoder()), query);
    }

    /** The first flight of a TLS client (its ClientHello records), from the JDK's own engine. */
    public static byte[] tlsClientHello(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine(serverName == null ? null : serverName, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }
}
