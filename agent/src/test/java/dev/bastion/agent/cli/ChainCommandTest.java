package dev.bastion.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainCommandTest extends CliTest {
    private static final String KILL_CHAIN = "../examples/topologies/kill-chain.yaml";

    @TempDir
    Path dir;


    private void chain(String file, String name, String body) throws Exception {
        Files.writeString(dir.resolve(file), "apiVersion: bastion.dev/v1\nkind: SecurityChain\nname: " + name + "\n"
                + body);
    }

    @BeforeEach
    void twoChains() throws Exception {
        chain("redis.yaml", "redis-user", """
                priority: 10
                context: {containerSets: [nginx-user]}
                flows: {containerSets: [redis-user], ports: [tcp/6379]}
                functions: []
                inspect: {packets: 20}
                """);
        chain("guest.yaml", "guest", """
                priority: 5
                context: {microservice: guest}
                functions: []
                failureMode: open
                """);
    }

    @Test
    void validateListsTheChainsAndExitsZero() {
        assertEquals(ExitCodes.OK, bastion("chain", "validate", dir.toString(), "--inventory", KILL_CHAIN));
        String text = out.toString();
        assertTrue(text.startsWith(dir + ": 2 chains valid against " + KILL_CHAIN), text);
        assertTrue(text.contains("redis-user (" + dir.resolve("redis.yaml") + ":3): containerSets [nginx-user] -> "
                + "containerSets [redis-user], ports [tcp/6379]; functions []; fail-closed; inspect first 20 packets; "
                + "priority 10"), text);
        assertTrue(text.contains("guest (" + dir.resolve("guest.yaml") + ":3): microservice guest -> any destination, "
                + "ports any; functions []; fail-open; inspect whole flow; priority 5"), text);
        assertEquals("", err.toString());
    }

    @Test
    void validateListsEveryProblemAndExitsOne() throws Exception {
        chain("bad.yaml", "bad", """
                context: {containerSets: [redis-usr]}
                functions:
                  - name: no-such-function
                failureMode: maybe
                """);
        assertEquals(ExitCodes.FAILED, bastion("chain", "validate", dir.toString(), "--inventory", KILL_CHAIN));
        String text = err.toString();
        assertTrue(text.contains(dir + ": invalid, 3 problems; nothing would be loaded:"), text);
        assertTrue(text.contains(dir.resolve("bad.yaml") + ":4: context.containerSets[0]: unknown container set "
                + "'redis-usr'"), text);
        assertTrue(text.contains(dir.resolve("bad.yaml") + ":6: functions[0].name: unknown function "
                + "'no-such-function'"), text);
        assertTrue(text.contains(dir.resolve("bad.yaml") + ":7: failureMode: 'maybe' is not one of closed, open"),
                text);
    }

    @Test
    void validateJsonGivesProblemsWithFileLineAndField() throws Exception {
        chain("bad.yaml", "bad", "context: {containerSets: [redis-guest]}\nfunctions: []\ninspect: {packets: -1}\n");
        assertEquals(ExitCodes.FAILED, bastion("chain", "validate", "--json", dir.toString()));
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertEquals(false, root.path("valid").asBoolean());
        JsonNode problem = root.path("problems").get(0);
        assertEquals(dir.resolve("bad.yaml").toString(), problem.path("file").asText());
        assertEquals(6, problem.path("line").asInt());
        assertEquals("inspect.packets", problem.path("field").asText());
    }

    @Test
    void validateJsonDescribesValidChains() throws Exception {
        assertEquals(ExitCodes.OK, bastion("chain", "validate", "--json", dir.toString()));
        JsonNode chains = new ObjectMapper().readTree(out.toString()).path("chains");
        assertEquals(2, chains.size());
        assertEquals("guest", chains.get(0).path("name").asText());
        assertEquals("open", chains.get(0).path("failureMode").asText());
        assertEquals(1_000_000, chains.get(0).path("budgetNanos").asLong());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(ExitCodes.INVALID_INPUT, bastion("chain", "validate"));
        assertEquals(ExitCodes.INVALID_INPUT, bastion("chain", "validate", dir.resolve("missing").toString()));
        assertTrue(err.toString().contains("is not a directory"), err.toString());
        assertEquals(ExitCodes.INVALID_INPUT, bastion("chain", "explain", "--chains", dir.toString(),
                "nginx-user", "redis-user", "tcp/6379"));
        assertEquals(ExitCodes.INVALID_INPUT, bastion("chain", "explain", "--chains", dir.toString(),
                "--inventory", KILL_CHAIN, "nobody", "redis-user", "tcp/6379"));
        assertTrue(err.toString().contains("no container named or addressed 'nobody'"), err.toString());
    }

    @Test
    void explainNamesTheChainAndWhy() {
        assertEquals(ExitCodes.OK, bastion("chain", "explain", "--chains", dir.toString(), "--inventory", KILL_CHAIN,
                "nginx-user", "172.17.0.3", "tcp/6379"));
        String text = out.toString();
        assertTrue(text.startsWith("nginx-user -> redis-user tcp/6379: chain redis-user (" + dir.resolve("redis.yaml")
                + ":3)"), text);
        assertTrue(text.contains("failure mode: closed"), text);
        assertTrue(text.contains("inspects:     first 20 packets"), text);
        assertTrue(text.contains("- policy allows nginx-user -> redis-user tcp/6379"), text);
        assertTrue(text.contains("chain guest (" + dir.resolve("guest.yaml") + ":3, priority 5): not for nginx-user: "
                + "it belongs to microservice user, not guest"), text);
    }

    @Test
    void explainSaysWhyNoChainApplies() throws Exception {
        assertEquals(ExitCodes.OK, bastion("chain", "explain", "--json", "--chains", dir.toString(), "--inventory",
                KILL_CHAIN, "nginx-guest", "redis-user", "tcp/6379"));
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertTrue(root.path("chain").isNull());
        assertEquals(false, root.path("allowedByPolicy").asBoolean());
        assertTrue(root.path("reasons").get(1).asText().contains("cannot open what policy denies"));
    }

    @Test
    void theExampleChainsAreValidWithTheBuiltInFunctions() {
        for (String topology : new String[] {"kill-chain", "webservice"}) {
            assertEquals(ExitCodes.OK, bastion("chain", "validate", "../examples/chains/" + topology,
                    "--inventory", "../examples/topologies/" + topology + ".yaml", "--suricata-rules",
                    "../examples/rules"), err::toString);
        }
        assertTrue(out.toString().contains("functions [l4-guard, suricata]"), out.toString());
        assertTrue(out.toString().contains("functions [l4-guard, redis-acl]"), out.toString());
        assertTrue(out.toString().contains("functions [http-filter, rate-limit]"), out.toString());
    }

    @Test
    void aSuricataRuleFileThatIsNotThereIsNamedWithItsChainFileAndLine() throws Exception {
        Path chains = Files.createDirectories(dir.resolve("ids"));
        Files.writeString(chains.resolve("ids.yaml"), """
                apiVersion: bastion.dev/v1
                kind: SecurityChain
                name: ids
                context: {containerSets: [nginx-guest]}
                functions:
                  - name: suricata
                    config:
                      rules: [redis-attacks.rules, missing.rules]
                """);
        assertEquals(ExitCodes.FAILED, bastion("chain", "validate", chains.toString(), "--suricata-rules",
                "../examples/rules"));
        assertTrue(err.toString().contains(chains.resolve("ids.yaml") + ":8: functions[0].config.rules[1]: rule file "
                + "'missing.rules' not found in ../examples/rules"), err.toString());
    }

    @Test
    void helpExitsZero() {
        assertEquals(ExitCodes.OK, bastion("chain", "explain", "--help"));
        assertTrue(out.toString().contains("Usage: bastion chain explain"), out.toString());
    }
}
