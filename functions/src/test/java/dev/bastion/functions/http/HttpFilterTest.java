package dev.bastion.functions.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.Wire;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpFilterTest {
    private static final String API_ONLY = """
            allow:
              - method: GET|HEAD
                pathPrefix: /api/
                host: "*.example.com"
              - method: POST
                path: /api/orders/[0-9]+
            deny:
              - pathPrefix: /api/admin
            """;

    private static SecurityFunction filter(String yaml) throws ConfigException {
        return new HttpFilterFactory().create(FunctionConfig.parse(yaml));
    }

    private static Verdict single(String yaml, byte[] request) throws ConfigException {
        Conversation c = Conversation.tcp(filter(yaml), 80);
        c.handshake();
        return c.client(request);
    }

    @Test
    void allowRulesMatchMethodPathAndHost() throws Exception {
        assertEquals(Verdict.PASS, single(API_ONLY, Wire.http("GET", "/api/items?page=2", "shop.example.com")));
        assertEquals(Verdict.PASS, single(API_ONLY, Wire.http("POST", "/api/orders/17", "anything")));
        assertEquals(Verdict.BLOCK_FLOW, single(API_ONLY, Wire.http("DELETE", "/api/items/1", "shop.example.com")));
        assertEquals(Verdict.BLOCK_FLOW, single(API_ONLY, Wire.http("GET", "/api/items", "evil.org")));
        assertEquals(Verdict.BLOCK_FLOW, single(API_ONLY, Wire.http("GET", "/static/x", "shop.example.com")));
        assertEquals(Verdict.BLOCK_FLOW, single(API_ONLY, Wire.http("POST", "/api/orders/17x", "a")));
    }

    @Test
    void denyRulesWinAndCannotBeDodgedByEncoding() throws Exception {
        for (String path : List.of("/api/admin/users", "/api/%61dmin/users", "/api//admin", "/api/x/../admin", "/API/../api/admin")) {
            assertEquals(Verdict.BLOCK_FLOW, single(API_ONLY, Wire.http("GET", path, "shop.example.com")), path);
        }
    }

    @Test
    void aRequestSplitAcrossSegmentsIsDecidedWhenItsHeadIsComplete() throws Exception {
        Conversation c = Conversation.tcp(filter(API_ONLY), 80);
        c.handshake();
        byte[] request = Wire.http("GET", "/api/admin", "shop.example.com");
        List<Verdict> verdicts = c.client(request, 10);
        assertEquals(Verdict.BLOCK_FLOW, verdicts.get(verdicts.size() - 1));
        assertTrue(verdicts.subList(0, verdicts.size() - 1).stream().allMatch(v -> v == Verdict.PASS), verdicts.toString());
        assertTrue(c.flow().alerts().get(0).contains("denied GET /api/admin"), c.flow().alerts().toString());
        assertEquals(Verdict.BLOCK_FLOW, c.client(Wire.http("GET", "/api/x", "a.example.com")), "blocked for good");
    }

    @Test
    void keepAliveRequestsAreEachChecked() throws Exception {
        Conversation c = Conversation.tcp(filter(API_ONLY), 80);
        c.handshake();
        assertEquals(Verdict.PASS, c.client(Wire.http("GET", "/api/a", "a.example.com")));
        assertEquals(Verdict.PASS, c.server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Verdict.BLOCK_FLOW, c.client(Wire.http("GET", "/api/admin/x", "a.example.com")));
    }

    @Test
    void malformedRequestsBlockTheFlow() throws Exception {
        byte[] smuggle = ("POST /api/orders/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /api/admin HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Conversation c = Conversation.tcp(filter(API_ONLY), 80);
        c.handshake();
        assertEquals(Verdict.BLOCK_FLOW, c.client(smuggle));
        assertTrue(c.flow().alerts().get(0).contains("malformed request"), c.flow().alerts().toString());
    }

    @Test
    void upgradedConnectionsAreLeftAloneOnlyAfterTheServerAgrees() throws Exception {
        String yaml = "allow: [{pathPrefix: /}]\ndeny: [{pathPrefix: /admin}]";
        FullHttpRequest upgrade = Wire.httpRequest("GET", "/ws", "h");
        upgrade.headers().set(HttpHeaderNames.UPGRADE, "websocket");
        upgrade.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");

        Conversation accepted = Conversation.tcp(filter(yaml), 80);
        accepted.handshake();
        assertEquals(Verdict.PASS, accepted.client(Wire.http(upgrade.copy())));
        assertEquals(Verdict.PASS, accepted.server("HTTP/1.1 101 Switching Protocols\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Verdict.PASS, accepted.client(new byte[] {(byte) 0x81, (byte) 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9}));

        Conversation ignored = Conversation.tcp(filter(yaml), 80);
        ignored.handshake();
        assertEquals(Verdict.PASS, ignored.client(Wire.http(upgrade)));
        assertEquals(Verdict.PASS, ignored.server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Verdict.BLOCK_FLOW, ignored.client(Wire.http("GET", "/admin", "h")));
    }

    @Test
    void configErrorsNameTheField() {
        ConfigException regex = assertThrows(ConfigException.class, () -> filter("allow:\n  - path: '/a['"));
        assertTrue(regex.getMessage().startsWith("<inline>:2: allow[0].path: not a regular expression"), regex.getMessage());
        ConfigException prefix = assertThrows(ConfigException.class, () -> filter("deny:\n  - pathPrefix: admin"));
        assertEquals("<inline>:2: deny[0].pathPrefix: must start with '/'", prefix.getMessage());
        ConfigException host = assertThrows(ConfigException.class, () -> filter("allow:\n  - host: 'a b'"));
        assertTrue(host.getMessage().startsWith("<inline>:2: allow[0].host:"), host.getMessage());
        ConfigException empty = assertThrows(ConfigException.class, () -> filter("allow:\n  - {}"));
        assertTrue(empty.getMessage().contains("a rule needs at least one of"), empty.getMessage());
        ConfigException size = assertThrows(ConfigException.class, () -> filter("allow: [{method: GET}]\nmaxHeadBytes: 10"));
        assertTrue(size.getMessage().startsWith("<inline>:2: maxHeadBytes: 10 is outside"), size.getMessage());
    }
}
