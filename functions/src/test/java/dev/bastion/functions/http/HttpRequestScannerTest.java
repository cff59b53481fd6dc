package dev.bastion.functions.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.PacketView;
import dev.bastion.functions.support.Payloads;
import dev.bastion.functions.support.Wire;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpRequestScannerTest {

    /** "METHOD path host" per request found, "!" + error on MALFORMED; input fed in pieces. */
    private static List<String> scan(byte[] stream, int piece) {
        HttpRequestScanner scanner = new HttpRequestScanner(8192);
        List<String> found = new ArrayList<>();
        for (int i = 0; i < stream.length; i += piece) {
            PacketView in = Payloads.of(stream, i, Math.min(piece, stream.length - i));
            for (int at = 0; ; at = scanner.position()) {
                HttpRequestScanner.Result r = scanner.scan(in, at);
                if (r == HttpRequestScanner.Result.REQUEST) {
                    HttpRequestHead h = scanner.request();
                    found.add(h.method() + " " + h.path() + " " + h.host());
                } else if (r == HttpRequestScanner.Result.MALFORMED) {
                    found.add("!" + scanner.error());
                    return found;
                } else {
                    break;
                }
            }
        }
        return found;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void pipelinedRequestsWithBodiesAreEachFound() {
        FullHttpRequest post = Wire.httpRequest("POST", "/api/items?x=1", "Shop.Example.com:8080");
        byte[] body = ascii("GET /admin HTTP/1.1\r\nHost: x\r\n\r\n"); // a body that looks like a request
        post.content().writeBytes(body);
        post.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        byte[] stream = Wire.http(post, Wire.httpRequest("GET", "/health", "shop.example.com"));
        for (int piece : new int[] {1, 3, 50, 5000}) {
            assertEquals(List.of("POST /api/items shop.example.com", "GET /health shop.example.com"), scan(stream, piece));
        }
    }

    @Test
    void chunkedBodiesAreSkippedByTheirFraming() {
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/upload");
        head.headers().set(HttpHeaderNames.HOST, "files");
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestEncoder());
        channel.writeOutbound(head,
                new DefaultHttpContent(Unpooled.copiedBuffer("DELETE / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII)),
                new DefaultHttpContent(Unpooled.copiedBuffer("x".repeat(5000), StandardCharsets.US_ASCII)),
                new DefaultLastHttpContent());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            out.writeBytes(ByteBufUtil.getBytes((ByteBuf) o));
            ((ByteBuf) o).release();
        }
        byte[] stream = concat(out.toByteArray(), Wire.http("GET", "/after", "files"));
        assertEquals(List.of("PUT /upload files", "GET /after files"), scan(stream, 7));
        byte[] withExtensionsAndTrailer = concat(ascii("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n0\r\nTrailer: t\r\n\r\n"), Wire.http("GET", "/next", "h"));
        assertEquals(List.of("POST /c h", "GET /next h"), scan(withExtensionsAndTrailer, 1));
    }

    @Test
    void pathsAreNormalizedTheWayServersResolveThem() {
        assertEquals("/admin", PathNormalizer.normalize("/%61dmin"));
        assertEquals("/admin", PathNormalizer.normalize("//admin"));
        assertEquals("/admin", PathNormalizer.normalize("/public/../admin"));
        assertEquals("/admin", PathNormalizer.normalize("/./admin"));
        assertEquals("/admin", PathNormalizer.normalize("/%2e%2E/admin"));
        assertEquals("/a%2Fb", PathNormalizer.normalize("/a%2fb"));
        assertEquals("/dir/", PathNormalizer.normalize("/dir/"));
        assertEquals("/", PathNormalizer.normalize("/.."));
        assertEquals(null, PathNormalizer.normalize("/bad%zz"));
        assertEquals(null, PathNormalizer.normalize("/cut%4"));
    }

    @Test
    void absoluteFormTargetsTakeTheirHostFromTheTarget() {
        assertEquals(List.of("GET /x internal.svc"),
                scan(ascii("GET http://Internal.Svc:81/x?q HTTP/1.1\r\nHost: decoy\r\n\r\n"), 4));
    }

    @Test
    void http10WithoutHostIsAccepted() {
        assertEquals(List.of("GET / "), scan(ascii("\r\nGET / HTTP/1.0\r\n\r\n"), 100));
    }

    @Test
    void ambiguousOrBrokenHeadsAreMalformed() {
        String[][] cases = {
            {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding with Content-Length"},
            {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", "conflicting Content-Length"},
            {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host"},
            {"GET / HTTP/1.1\r\nHost : a\r\n\r\n", "bad character in header name"},
            {"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", "folded header line"},
            {"GET / HTTP/1.1\r\n\r\n", "without Host"},
            {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", "unsupported HTTP version"},
            {"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "bad request line"},
            {"GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", "bad percent-encoding"},
            {"GET relative HTTP/1.1\r\nHost: a\r\n\r\n", "neither a path"},
            {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", "cannot be determined"},
            {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
            {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "chunk longer"},
            {"GET / HTTP/1.1\r\nX: " + "a".repeat(9000) + "\r\n\r\n", "longer than 8192"},
        };
        for (String[] c : cases) {
            List<String> found = scan(ascii(c[0]), 3);
            String last = found.get(found.size() - 1);
            assertTrue(last.startsWith("!") && last.contains(c[1]), c[1] + " -> " + found);
        }
    }

    @Test
    void truncatedHeadsWaitForMore() {
        byte[] full = Wire.http("GET", "/x", "h");
        for (int cut = 0; cut < full.length; cut++) {
            assertEquals(List.of(), scan(java.util.Arrays.copyOf(full, cut), 10), "cut " + cut);
        }
    }

    @Test
    void afterAnAcceptedUpgradeTheStreamIsOpaque() {
        HttpRequestScanner scanner = new HttpRequestScanner(8192);
        FullHttpRequest upgrade = Wire.httpRequest("GET", "/ws", "h");
        upgrade.headers().set(HttpHeaderNames.UPGRADE, "websocket");
        assertEquals(HttpRequestScanner.Result.REQUEST, scanner.scan(Payloads.of(Wire.http(upgrade)), 0));
        assertTrue(scanner.switchRequested());
        scanner.serverAnswered(101);
        assertEquals(HttpRequestScanner.Result.NEED_MORE, scanner.scan(Payloads.of(new byte[] {(byte) 0x82, 0x05, 1, 2, 3}), 0));
        assertTrue(scanner.opaque());

        HttpRequestScanner refused = new HttpRequestScanner(8192);
        refused.scan(Payloads.of(Wire.http(Wire.httpRequest("CONNECT", "db:5432", "db:5432"))), 0);
        refused.serverAnswered(403);
        assertEquals(HttpRequestScanner.Result.REQUEST, refused.scan(Payloads.of(Wire.http("GET", "/", "h")), 0));
    }
}
