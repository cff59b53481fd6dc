package dev.bastion.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API on Netty: JSON routes and the Prometheus /metrics text. With a token configured, every
 * request must carry {@code Authorization: Bearer <token>}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final int MAX_BODY = 64 * 1024;
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Optional<byte[]> token;
    private EventLoopGroup group;
    private Channel channel;

    public ApiServer(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** Registers {@code route} for GET and POST on exactly {@code path}. */
    public ApiServer route(String path, Route route) {
        if (routes.putIfAbsent(path, route) != null) {
            throw new IllegalArgumentException("route registered twice: " + path);
        }
        return this;
    }

    /** Binds and serves; returns the bound address (port 0 picks a free one). */
    public InetSocketAddress start(InetSocketAddress address) throws InterruptedException {
        group = new NioEventLoopGroup(1);
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY), new Dispatcher());
                    }
                })
                .bind(address).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        log.info("API listening on http://{}:{}{}", bound.getHostString(), bound.getPort(),
                token.isPresent() ? " (bearer token required)" : "");
        return bound;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            try {
                response = answer(request);
            } catch (ApiException e) {
                response = error(e.status(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("API {} {} failed", request.method(), request.uri(), e);
                response = error(500, "internal error: " + e.getClass().getSimpleName());
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("API connection error: {}", cause.toString());
            ctx.close();
        }
    }

    private FullHttpResponse answer(FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            throw new ApiException(400, "malformed HTTP request");
        }
        if (token.isPresent() && !authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse denied = error(401, "missing or wrong bearer token");
            denied.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            return denied;
        }
        String method = request.method().name();
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new ApiException(405, "method " + method + " not allowed");
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        Route route = routes.get(uri.path());
        if (route == null) {
            throw new ApiException(404, "no such path: " + uri.path() + " (paths: " + String.join(", ", new java.util.TreeSet<>(routes.keySet())) + ")");
        }
        ApiResponse answer = route.handle(new ApiRequest(method, uri.path(), uri.parameters(),
                request.content().toString(StandardCharsets.UTF_8)));
        if (answer.text() != null) {
            return response(answer.status(), answer.text().getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8");
        }
        return json(answer.status(), answer.json());
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.orElseThrow()); // constant time
    }

    private static FullHttpResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    private static FullHttpResponse json(int status, Object body) {
        try {
            return response(status, JSON.writeValueAsBytes(body), "application/json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise API response", e);
        }
    }

    private static FullHttpResponse response(int status, byte[] body, String type) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return r;
    }
}
