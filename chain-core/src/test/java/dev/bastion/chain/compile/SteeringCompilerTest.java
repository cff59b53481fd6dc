package dev.bastion.chain.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.definition.ChainLoader;
import dev.bastion.chain.definition.Examples;
import dev.bastion.chain.definition.LoadedChains;
import dev.bastion.chain.definition.TestFunctions;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.spi.FlowKey;
import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.Protocol;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SteeringCompilerTest {
    @TempDir
    Path dir;

    static Inventory topology(String name) throws Exception {
        return Examples.topology(name);
    }

    static LoadedChains exampleChains(String name, Inventory inventory) throws Exception {
        return Examples.chains(name, inventory);
    }

    /** The entry of a chained flow's source. */
    private static SteeringEntry entry(String container, String peer, int from, int to, String chain) {
        return new SteeringEntry(container, Ipv4Address.parse(peer), Protocol.TCP, from, to, chain,
                SteeringEntry.End.SOURCE);
    }

    /** The entry of a chained flow's destination. */
    private static SteeringEntry reply(String container, String peer, int from, int to, String chain) {
        return new SteeringEntry(container, Ipv4Address.parse(peer), Protocol.TCP, from, to, chain,
                SteeringEntry.End.DESTINATION);
    }

    @Test
    void killChainExampleSteersBothDirectionsOfAllowedFlowsOnly() throws Exception {
        Inventory inventory = topology("kill-chain");
        try (LoadedChains chains = exampleChains("kill-chain", inventory)) {
            List<SteeringEntry> entries = SteeringCompiler.compile(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory));
            assertEquals(List.of(
                    entry("nginx-guest", "172.17.0.5", 6379, 6379, "guest-redis-ids"),
                    entry("nginx-user", "172.17.0.3", 6379, 6379, "redis-user"),
                    reply("redis-guest", "172.17.0.4", 6379, 6379, "guest-redis-ids"),
                    reply("redis-user", "172.17.0.2", 6379, 6379, "redis-user")), entries);
        }
    }

    @Test
    void aChainCannotOpenWhatPolicyDenies() throws Exception {
        Inventory inventory = topology("kill-chain");
        Files.writeString(dir.resolve("cross.yaml"), """
                apiVersion: bastion.dev/v1
                kind: SecurityChain
                name: cross-tenant
                context: {containerSets: [nginx-user]}
                flows: {containerSets: [redis-guest, redis-user], ports: [tcp/1-65535]}
                functions: []
                """);
        try (LoadedChains chains = ChainLoader.load(dir, TestFunctions.create().registry(), Optional.of(inventory))) {
            List<SteeringEntry> entries = SteeringCompiler.compile(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory));
            assertEquals(List.of(entry("nginx-user", "172.17.0.3", 6379, 6379, "cross-tenant"),
                    reply("redis-user", "172.17.0.2", 6379, 6379, "cross-tenant")), entries);
        }
    }

    @Test
    void theHigherPriorityChainTakesItsPortsAndTheOtherKeepsTheRest() throws Exception {
        Inventory inventory = InventoryReader.parse(Path.of("ranges.yaml"), """
                apiVersion: bastion.dev/v1
                kind: Inventory
                name: ranges
                networks: [{name: bridge, subnet: 10.1.0.0/24, gateway: 10.1.0.1}]
                containers:
                  - {name: client, ip: 10.1.0.2}
                  - {name: server, ip: 10.1.0.3}
                containerSets:
                  - {name: client}
                  - {name: server}
                policies:
                  - containerSet: client
                    egress: [{to: server, ports: [tcp/8000-8100]}]
                  - containerSet: server
                    ingress: [{from: client, ports: [tcp/8000-8100]}]
                """);
        Files.writeString(dir.resolve("a.yaml"), """
                apiVersion: bastion.dev/v1
                kind: SecurityChain
                name: web
                priority: 10
                context: {containerSets: [client]}
                flows: {containerSets: [server], ports: [tcp/8080]}
                functions: []
                """);
        Files.writeString(dir.resolve("b.yaml"), """
                apiVersion: bastion.dev/v1
                kind: SecurityChain
                name: rest
                priority: 1
                context: {containerSets: [client]}
                functions: []
                """);
        try (LoadedChains chains = ChainLoader.load(dir, TestFunctions.create().registry(), Optional.of(inventory))) {
            List<SteeringEntry> entries = SteeringCompiler.compile(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory));
            assertEquals(List.of(
                    entry("client", "10.1.0.3", 8000, 8079, "rest"),
                    entry("client", "10.1.0.3", 8080, 8080, "web"),
                    entry("client", "10.1.0.3", 8081, 8100, "rest"),
                    reply("server", "10.1.0.2", 8000, 8079, "rest"),
                    reply("server", "10.1.0.2", 8080, 8080, "web"),
                    reply("server", "10.1.0.2", 8081, 8100, "rest")), entries);
        }
    }

    @Test
    void servicesSteerToTheirBackendsTargetPort() throws Exception {
        Inventory inventory = topology("webservice");
        try (LoadedChains chains = exampleChains("webservice", inventory)) {
            List<SteeringEntry> entries = SteeringCompiler.compile(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory));
            assertTrue(entries.contains(entry("webapp-1", "10.10.0.31", 3306, 3306, "webapp-database")), entries.toString());
            assertTrue(entries.contains(reply("database-1", "10.10.0.12", 3306, 3306, "webapp-database")));
            assertTrue(entries.contains(entry("webapp-2", "10.10.0.21", 8080, 8080, "webapp-service")));
            assertFalse(entries.stream().anyMatch(e -> e.portFrom() == 3307), "service -> database is not chained");
        }
    }

    @Test
    void compiledSteeringAndPolicyDriveTheEngine() throws Exception {
        Inventory inventory = topology("kill-chain");
        DependencyMap dependencies = DependencyExtractor.extract(inventory);
        try (LoadedChains chains = exampleChains("kill-chain", inventory);
             ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, AlertSink.DISCARD,
                     Clock.systemUTC(), System::nanoTime)) {
            CompiledChains compiled = CompiledChains.compile(chains, inventory, dependencies);
            assertEquals(4, compiled.steering().size());
            engine.install(compiled.chainSet());
            byte[] request = FrameBuilder.tcp("172.17.0.2", 40000, "172.17.0.3", 6379).payload("PING").build();
            byte[] reply = FrameBuilder.tcp("172.17.0.3", 6379, "172.17.0.2", 40000).payload("+PONG").build();
            assertEquals(Verdict.PASS, engine.process("nginx-user", ByteBuffer.wrap(request), 0, request.length, 1));
            assertEquals(Verdict.PASS, engine.process("redis-user", ByteBuffer.wrap(reply), 0, reply.length, 2));
            assertEquals(1, engine.metrics().flowsCreated());
            assertEquals(2, engine.chainMetrics().stream().filter(m -> m.chain().equals("redis-user"))
                    .findFirst().orElseThrow().packets());
        }
        DependencyPolicy policy = new DependencyPolicy(inventory, dependencies);
        int user = Ipv4Address.parse("172.17.0.2").bits();
        int redisUser = Ipv4Address.parse("172.17.0.3").bits();
        int redisGuest = Ipv4Address.parse("172.17.0.5").bits();
        assertTrue(policy.allows(new FlowKey("nginx-user", user, redisUser, 6, 40000, 6379)));
        assertTrue(policy.allows(new FlowKey("redis-user", redisUser, user, 6, 6379, 40000)), "a reply seen first");
        assertFalse(policy.allows(new FlowKey("nginx-user", user, redisGuest, 6, 40000, 6379)));
    }
}
