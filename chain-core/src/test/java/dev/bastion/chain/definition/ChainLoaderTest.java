package dev.bastion.chain.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.engine.FailureMode;
import dev.bastion.chain.engine.InspectionDepth;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import dev.bastion.policies.source.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainLoaderTest {
    @TempDir
    Path dir;

    private static Inventory inventory(String topology) throws Exception {
        return Examples.topology(topology);
    }

    private void write(String file, String text) throws Exception {
        Files.writeString(dir.resolve(file), text);
    }

    private static String chain(String name, String rest) {
        return "apiVersion: bastion.dev/v1\nkind: SecurityChain\nname: " + name + "\n" + rest;
    }

    @Test
    void loadsAValidDirectoryWithDefaults() throws Exception {
        write("a.yaml", chain("redis", """
                context:
                  containerSets: [nginx-user]
                flows:
                  containerSets: [redis-user]
                  ports: [tcp/6379]
                functions:
                  - name: acl
                    config: {deny: [FLUSHALL]}
                """));
        write("notes.txt", "not a chain");
        TestFunctions functions = TestFunctions.create();
        try (LoadedChains loaded = ChainLoader.load(dir, functions.registry(), Optional.of(inventory("kill-chain")))) {
            ChainDefinition d = loaded.definitions().get(0);
            assertEquals("redis", d.name());
            assertEquals(FailureMode.CLOSED, d.failureMode());
            assertEquals(InspectionDepth.UNLIMITED, d.inspect());
            assertEquals(Duration.ofMillis(1), d.budget());
            assertTrue(d.priority().isEmpty());
            assertEquals(3, d.line());
            assertEquals(List.of("acl"), loaded.chains().get("redis").functionNames());
        }
        assertEquals(List.of(true), functions.closed);
    }

    @Test
    void reportsEveryProblemOfEveryFileTogether() throws Exception {
        write("a-unknown.yaml", chain("unknown-fn", """
                context: {containerSets: [nginx-user]}
                flows: {containerSets: [redis-user], ports: [tcp/6379]}
                functions:
                  - name: no-such-function
                """));
        write("b-config.yaml", chain("bad-config", """
                context: {containerSets: [nginx-guest]}
                functions:
                  - name: acl
                    config:
                      deny: [FLUSHALL]
                      max: 1000
                failureMode: sideways
                inspect: {packets: 0}
                """));
        write("c-names.yaml", chain("bad-names", """
                context: {containerSets: [nginx-usr]}
                flows: {containerSets: [redis-user], ports: [tcp/99999], services: [nope]}
                functions: []
                colour: blue
                """));
        write("d-syntax.yaml", "apiVersion: [unclosed\n");
        write("e-nocontext.yaml", chain("Bad_Name", "functions: []\n"));
        write("f-valid.yaml", chain("valid", """
                context: {containerSets: [redis-guest]}
                functions:
                  - {name: acl, config: {deny: [KEYS]}}
                """));
        TestFunctions functions = TestFunctions.create();
        InvalidSourceException e = assertThrows(InvalidSourceException.class,
                () -> ChainLoader.load(dir, functions.registry(), Optional.of(inventory("kill-chain"))));
        List<String> lines = e.problems().stream().map(Problem::toString).map(s -> s.replace(dir + "/", "")).toList();
        assertTrue(lines.contains("a-unknown.yaml:7: functions[0].name: unknown function 'no-such-function' "
                + "(available: acl)"), lines.toString());
        assertTrue(lines.contains("b-config.yaml:9: functions[0].config.max: 1000 is outside 1..100"), lines.toString());
        assertTrue(lines.contains("b-config.yaml:10: failureMode: 'sideways' is not one of closed, open"),
                lines.toString());
        assertTrue(lines.contains("b-config.yaml:11: inspect.packets: 0 is outside 1.." + Long.MAX_VALUE),
                lines.toString());
        assertTrue(lines.contains("c-names.yaml:4: context.containerSets[0]: unknown container set 'nginx-usr' "
                + "(known: nginx-guest, nginx-user, node-exporter, redis-guest, redis-user)"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("c-names.yaml:5: flows.ports[0]: ")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("c-names.yaml:5: flows.services[0]: unknown service 'nope' (the inventory declares none)")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("c-names.yaml:7: colour: unknown field")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("d-syntax.yaml:2: (syntax)")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("e-nocontext.yaml:3: name: 'Bad_Name' is not a valid name")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("e-nocontext.yaml:1: context: required field")),
                lines.toString());
        assertFalse(functions.closed.isEmpty());
        assertTrue(functions.closed.stream().allMatch(c -> c), "instances created while validating are closed");
    }

    @Test
    void anExternalFunctionMustBeLast() throws Exception {
        write("a.yaml", chain("dpi-first", """
                context: {containerSets: [nginx-user]}
                functions:
                  - name: dpi
                  - name: log
                """));
        TestFunctions functions = TestFunctions.create();
        InvalidSourceException e = assertThrows(InvalidSourceException.class,
                () -> ChainLoader.load(dir, functions.registry("log", "dpi"), Optional.empty()));
        assertEquals(List.of(dir.resolve("a.yaml") + ":6: functions[0].name: 'dpi' inspects outside the agent and must"
                + " be the chain's last function"), e.problems().stream().map(Object::toString).toList());
        assertTrue(functions.closed.stream().allMatch(c -> c), "instances created while validating are closed");

        write("a.yaml", chain("dpi-last", """
                context: {containerSets: [nginx-user]}
                functions:
                  - name: log
                  - name: dpi
                """));
        try (LoadedChains loaded = ChainLoader.load(dir, functions.registry("log", "dpi"), Optional.empty())) {
            assertEquals(Optional.of("dpi0"), loaded.chains().get("dpi-last").externalPort());
        }
    }

    @Test
    void aFunctionsOwnCheckNamesItsField() throws Exception {
        write("a.yaml", chain("acl-empty", """
                context: {containerSets: [nginx-user]}
                functions:
                  - name: acl
                """));
        InvalidSourceException e = assertThrows(InvalidSourceException.class,
                () -> ChainLoader.load(dir, TestFunctions.create().registry(), Optional.empty()));
        assertEquals(1, e.problems().size());
        assertEquals(dir.resolve("a.yaml") + ":6: functions[0].config.deny: give at least one command",
                e.problems().get(0).toString());
    }

    @Test
    void overlappingChainsNeedExplicitDistinctPriorities() throws Exception {
        String body = """
                context: {microservice: user}
                flows: {containerSets: [redis-user]}
                functions: []
                """;
        write("a.yaml", chain("first", body));
        write("b.yaml", chain("second", "priority: 0\n" + body));
        TestFunctions functions = TestFunctions.create();
        InvalidSourceException e = assertThrows(InvalidSourceException.class,
                () -> ChainLoader.load(dir, functions.registry(), Optional.of(inventory("kill-chain"))));
        assertEquals(1, e.problems().size());
        String message = e.problems().get(0).toString();
        assertTrue(message.startsWith(dir.resolve("b.yaml") + ":3: priority: chain 'second' overlaps chain 'first'"),
                message);
        assertTrue(message.contains("nginx-user -> redis-user any"), message);

        write("a.yaml", chain("first", "priority: 1\n" + body));
        try (LoadedChains loaded = ChainLoader.load(dir, functions.registry(), Optional.of(inventory("kill-chain")))) {
            assertEquals(2, loaded.definitions().size());
        }
    }

    @Test
    void disjointChainsNeedNoPriority() throws Exception {
        write("a.yaml", chain("user", "context: {microservice: user}\nfunctions: []\n"));
        write("b.yaml", chain("guest", "context: {microservice: guest}\nfunctions: []\n"));
        TestFunctions functions = TestFunctions.create();
        ChainLoader.load(dir, functions.registry(), Optional.of(inventory("kill-chain"))).close();
        ChainLoader.load(dir, functions.registry(), Optional.empty()).close();
        write("c.yaml", chain("by-label", "context: {labels: {tenant: user}}\nfunctions: []\n"));
        InvalidSourceException withoutInventory = assertThrows(InvalidSourceException.class,
                () -> ChainLoader.load(dir, functions.registry(), Optional.empty()));
        assertEquals(2, withoutInventory.problems().size(), "labels may meet either microservice");
        InvalidSourceException withInventory = assertThrows(InvalidSourceException.class,
                () -> ChainLoader.load(dir, functions.registry(), Optional.of(inventory("kill-chain"))));
        assertEquals(1, withInventory.problems().size(), "the inventory shows the labels select user containers");
    }

    @Test
    void duplicateChainNamesAreRejected() throws Exception {
        write("a.yaml", chain("same", "context: {microservice: user}\nfunctions: []\n"));
        write("b.yaml", chain("same", "context: {microservice: guest}\nfunctions: []\n"));
        InvalidSourceException e = assertThrows(InvalidSourceException.class,
                () -> ChainLoader.load(dir, TestFunctions.create().registry(), Optional.empty()));
        assertTrue(e.problems().get(0).toString().contains("chain 'same' is already defined at "
                + dir.resolve("a.yaml") + ":3"), e.getMessage());
    }

    @Test
    void theExampleChainsAreValidForTheirTopologies() throws Exception {
        for (String topology : List.of("kill-chain", "webservice")) {
            try (LoadedChains loaded = Examples.chains(topology, inventory(topology))) {
                assertEquals(topology.equals("kill-chain") ? 3 : 2, loaded.definitions().size(), topology);
            }
            Path chains = Examples.ROOT.resolve("chains").resolve(topology);
            ChainLoader.load(chains, TestFunctions.create().registry(Examples.BUILT_IN), Optional.empty()).close();
        }
    }
}
