package dev.bastion.functions.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsSniTest {
    private static final String RULES = "allow: ['*.example.com']\ndeny: [admin.example.com]\n";

    private static SecurityFunction sni(String yaml) throws ConfigException {
        return new TlsSniFactory().create(FunctionConfig.parse(yaml));
    }

    private static Verdict first(String yaml, byte[] firstFlight) throws Exception {
        Conversation c = Conversation.tcp(sni(yaml), 443);
        c.handshake();
        return c.client(firstFlight);
    }

    @Test
    void decidesOnTheServerName() throws Exception {
        assertEquals(Verdict.PASS, first(RULES, Wire.tlsClientHello("shop.example.com")));
        assertEquals(Verdict.BLOCK_FLOW, first(RULES, Wire.tlsClientHello("admin.example.com")));
        assertEquals(Verdict.BLOCK_FLOW, first(RULES, Wire.tlsClientHello("example.org")));
        assertEquals(Verdict.BYPASS_FLOW, first(RULES + "afterAllow: bypass-flow", Wire.tlsClientHello("shop.example.com")));
    }

    @Test
    void aClientHelloAcrossSegmentsAndRecordsIsDecidedWhenComplete() throws Exception {
        Conversation c = Conversation.tcp(sni(RULES), 443);
        c.handshake();
        byte[] hello = ClientHelloReaderTest.refragment(Wire.tlsClientHello("admin.example.com"), 200);
        List<Verdict> verdicts = c.client(hello, 90);
        assertEquals(Verdict.BLOCK_FLOW, verdicts.get(verdicts.size() - 1));
        assertTrue(verdicts.subList(0, verdicts.size() - 1).stream().allMatch(v -> v == Verdict.PASS), verdicts.toString());
        assertTrue(c.flow().alerts().get(0).contains("'admin.example.com' denied"));
        assertEquals(Verdict.BLOCK_FLOW, c.client(new byte[] {23, 3, 3, 0, 1, 0}), "the decision sticks");
    }

    @Test
    void afterAnAllowedHelloTheRestOfTheConnectionPasses() throws Exception {
        Conversation c = Conversation.tcp(sni(RULES), 443);
        c.handshake();
        assertEquals(Verdict.PASS, c.client(Wire.tlsClientHello("shop.example.com")));
        assertEquals(Verdict.PASS, c.server(new byte[] {22, 3, 3, 0, 2, 2, 0}));
        assertEquals(Verdict.PASS, c.client("not parsed any more".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void missingSniAndNonTlsAreRefusedUnlessAllowed() throws Exception {
        assertEquals(Verdict.BLOCK_FLOW, first(RULES, Wire.tlsClientHello(null)));
        assertEquals(Verdict.PASS, first(RULES + "allowMissingSni: true", Wire.tlsClientHello(null)));
        byte[] http = Wire.http("GET", "/", "shop.example.com");
        assertEquals(Verdict.BLOCK_FLOW, first(RULES, http));
        assertEquals(Verdict.PASS, first(RULES + "allowNonTls: true", http));
    }

    @Test
    void malformedAndOversizedHellosAreBlocked() throws Exception {
        byte[] hello = Wire.tlsClientHello("shop.example.com");
        hello[5] = 2;
        assertEquals(Verdict.BLOCK_FLOW, first(RULES, hello));
        Conversation c = Conversation.tcp(sni(RULES + "maxHelloBytes: 512"), 443);
        c.handshake();
        byte[] huge = {22, 3, 1, 0x40, 0, 1, 0, 0x3f, (byte) 0xfc};
        assertEquals(Verdict.BLOCK_FLOW, c.client(huge));
        assertTrue(c.flow().alerts().get(0).contains("longer than 512"), c.flow().alerts().toString());
    }

    @Test
    void configErrorsNameTheField() {
        ConfigException e = assertThrows(ConfigException.class, () -> sni("allow: ['*.example.com']\nafterAllow: later"));
        assertEquals("<inline>:2: afterAllow: 'later' is not one of pass, bypass-flow", e.getMessage());
        ConfigException empty = assertThrows(ConfigException.class, () -> sni("allowNonTls: true"));
        assertTrue(empty.getMessage().contains("give an allow or a deny list of server names"));
        ConfigException size = assertThrows(ConfigException.class, () -> sni("deny: [a.com]\nmaxHelloBytes: 1"));
        assertTrue(size.getMessage().startsWith("<inline>:2: maxHelloBytes:"), size.getMessage());
    }
}
