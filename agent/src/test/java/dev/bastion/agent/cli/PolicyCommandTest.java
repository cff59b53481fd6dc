package dev.bastion.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest extends CliTest {
    private static final String KILL_CHAIN = "../examples/topologies/kill-chain.yaml";

    @TempDir
    Path dir;


    @Test
    void depsPrintsEachContainersPeersAndDenials() {
        assertEquals(ExitCodes.OK, bastion("policy", "deps", KILL_CHAIN));
        String text = out.toString();
        String guest = text.substring(text.indexOf("nginx-guest  172.17.0.4"), text.indexOf("redis-guest  172.17.0.5"));
        assertTrue(guest.matches("(?s).*may open:\\s+redis-guest\\s+172.17.0.5\\s+tcp/6379.*"), guest);
        assertTrue(guest.contains("opened by:    nobody"), guest);
        assertTrue(guest.contains("denied:       172.17.0.1"), guest);
        assertTrue(!guest.contains("-user"), "nothing towards the user service: " + guest);
        assertTrue(text.contains("node-exporter: host network"), text);
    }

    @Test
    void depsJsonCarriesBothDirectionsOfEveryPeer() throws Exception {
        assertEquals(ExitCodes.OK, bastion("policy", "deps", "--json", KILL_CHAIN));
        JsonNode containers = new ObjectMapper().readTree(out.toString()).path("containers");
        JsonNode redis = containers.path("redis-guest");
        assertEquals("172.17.0.5", redis.path("self").path("ip").asText());
        assertEquals(1, redis.path("peers").size());
        JsonNode peer = redis.path("peers").get(0);
        assertEquals("nginx-guest", peer.path("container").asText());
        assertEquals(0, peer.path("egress").size());
        assertEquals("tcp/6379", peer.path("ingress").get(0).asText());
        assertEquals("172.17.0.1", redis.path("deniedIps").get(0).asText());
        assertTrue(containers.path("node-exporter").path("hostNetwork").asBoolean());
    }

    @Test
    void depsRejectsABadFileWithItsLine() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                apiVersion: bastion.dev/v1
                kind: Inventory
                name: bad
                networks:
                  - name: bridge
                    subnet: 10.1.0.1/24
                    gateway: 10.1.0.1
                """);
        assertEquals(ExitCodes.INVALID_INPUT, bastion("policy", "deps", file.toString()));
        assertTrue(err.toString().contains(file + ":6: networks[0].subnet: '10.1.0.1/24' has host bits set"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void depsWithoutAFileIsAUsageError() {
        assertEquals(ExitCodes.INVALID_INPUT, bastion("policy", "deps"));
        assertTrue(err.toString().contains("Missing required parameter"), err.toString());
    }
    @Test
    void suggestReportsTheThreeClassesAndAPatch() throws Exception {
        Path flows = dir.resolve("flows.jsonl");
        Files.writeString(flows, """
                {"at":"2026-11-30T10:00:00Z","srcContainer":"nginx-user","dstContainer":"redis-user","protocol":"tcp","dstPort":6379,"allowed":true}
                {"at":"2026-11-30T10:00:01Z","srcContainer":"nginx-user","dstContainer":"nginx-guest","protocol":"tcp","dstPort":80,"allowed":false}
                """);
        assertEquals(ExitCodes.OK, bastion("policy", "suggest", "--flows", flows.toString(), KILL_CHAIN));
        String text = out.toString();
        assertTrue(text.contains("Legitimate accesses (allowed by the policies): 1"), text);
        assertTrue(text.contains("Missing policies (flows no policy allows): 1"), text);
        assertTrue(text.contains("Excessive policies (no flow in the window): 1"), text);
        assertTrue(text.contains("      - to: nginx-guest   # added"), text);
        assertTrue(text.contains("# removed from nginx-guest egress: to: redis-guest"), text);
    }

    @Test
    void suggestRejectsABadFlowLogWithItsLine() throws Exception {
        Path flows = dir.resolve("flows.jsonl");
        Files.writeString(flows, "{\"at\":\"2026-11-30T10:00:00Z\",\"protocol\":\"tcp\",\"dstPort\":99999,\"allowed\":true}\n");
        assertEquals(ExitCodes.INVALID_INPUT, bastion("policy", "suggest", "--flows", flows.toString(), KILL_CHAIN));
        assertTrue(err.toString().contains(flows + ":1: dstPort"), err.toString());
    }

    @Test
    void suggestWithoutAFlowLogAsksTheAgent() {
        assertEquals(ExitCodes.FAILED, bastion("policy", "suggest", "--api=127.0.0.1:1"));
        assertTrue(err.toString().contains("cannot reach the agent"), err.toString());
    }

    @Test
    void aFlowLogNeedsItsInventory() throws Exception {
        Path flows = dir.resolve("flows.jsonl");
        Files.writeString(flows, "");
        assertEquals(ExitCodes.INVALID_INPUT, bastion("policy", "suggest", "--flows", flows.toString()));
        assertTrue(err.toString().contains("FILE"), err.toString());
    }
}
