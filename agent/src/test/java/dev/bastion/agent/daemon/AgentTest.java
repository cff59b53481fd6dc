package dev.bastion.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.cli.BastionCommand;
import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.events.AlertRecord;
import dev.bastion.agent.events.FlowRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.ArrayList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.policies.collect.StaticCollector;
import java.time.Clock;
import dev.bastion.policies.dependency.ContainerChange;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.model.Ipv4Address;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
    @TempDir
    Path dir;
    private Agent agent;
    private final RecordingEnforcer enforcer = new RecordingEnforcer();

    /** Remembers what it was asked to apply; fails while {@code failing} is set, as a kernel error would. */
    private static final class RecordingEnforcer implements Enforcer {
        final List<List<ContainerChange>> applied = new ArrayList<>();
        boolean failing;

        @Override
        public void apply(List<ContainerChange> changes, PolicyView next) {
            if (failing) {
                throw new IllegalStateException("map update failed");
            }
            applied.add(changes);
        }

        @Override
        public Optional<Integer> protectedAs(String container) {
            return applied.stream().flatMap(List::stream)
                    .anyMatch(c -> c.container().equals(container) && c.kind() == ContainerChange.Kind.ADDED)
                    ? Optional.of(7) : Optional.empty();
        }
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private String status(InetSocketAddress api, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[2 + extra.length];
        args[0] = "status";
        args[1] = "--api=127.0.0.1:" + api.getPort();
        System.arraycopy(extra, 0, args, 2, extra.length);
        int code = BastionCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return code + "\n" + out + err;
    }

    /** Starts an agent on node1 over a copy of an example topology, at dir/inventory.yaml; the poll is left to the test. */
    private InetSocketAddress startWith(String topology) throws Exception {
        Path inventory = dir.resolve("inventory.yaml");
        Files.copy(Path.of("../examples/topologies/" + topology + ".yaml"), inventory);
        AgentConfig config = AgentConfig.load(Optional.empty(), Map.of(),
                Map.of(Setting.API_ADDRESS, "127.0.0.1:0", Setting.POLL_INTERVAL, "1h", Setting.NODE, "node1"));
        agent = new Agent(config, new StaticCollector(inventory), enforcer);
        return agent.start();
    }

    @Test
    void followsTheInventoryAndKeepsTheLastGoodOne() throws Exception {
        InetSocketAddress api = startWith("kill-chain");
        agent.pollOnce();
        String first = status(api);
        assertTrue(first.startsWith("0\n"), first);
        assertTrue(first.contains("inventory kill-chain, 5 containers"), first);
        assertTrue(first.contains("nginx-user           172.17.0.2"), first);
        assertTrue(first.lines().anyMatch(l -> l.startsWith("nginx-user ") && l.endsWith("yes (id 7)")), first);
        assertTrue(first.lines().anyMatch(l -> l.startsWith("node-exporter ") && l.endsWith(" no")), first);

        Path inventory = dir.resolve("inventory.yaml");
        Files.writeString(inventory, Files.readString(inventory).replace("ip: 172.17.0.5", "ip: 10.0.0.5"));
        agent.pollOnce();
        String second = status(api, "--json");
        assertTrue(second.contains("\"containers\" : 5"), "the old inventory stays in force: " + second);
        assertTrue(second.contains("inventory.yaml:24: containers[3].ip: 10.0.0.5 is outside the subnet"), second);
    }

    @Test
    void handsOnlyThisNodesPartitionChangesToTheEnforcerAndRetriesAFailure() throws Exception {
        enforcer.failing = true;
        startWith("two-node");
        agent.pollOnce();
        assertTrue(enforcer.applied.isEmpty());
        enforcer.failing = false;
        agent.pollOnce();
        assertEquals(1, enforcer.applied.size(), "the failed inventory is retried without a file change");
        List<ContainerChange> first = enforcer.applied.get(0);
        assertFalse(first.isEmpty());
        assertTrue(first.stream().allMatch(c -> c.kind() == ContainerChange.Kind.ADDED
                && c.selfAfter().orElseThrow().node().equals("node1")), first.toString());

        agent.pollOnce();
        assertEquals(1, enforcer.applied.size(), "nothing changed, nothing applied");
    }

    @Test
    void theReconcileDurationIsTheLastChangesAndEachPollCountsByResult() throws Exception {
        startWith("two-node");
        agent.pollOnce();
        // The poll the agent runs as it starts has happened too: one of the two put the inventory in force.
        waitFor(() -> polls() >= 2, new StringWriter());
        String afterChange = agent.metrics().scrape();
        double changeSeconds = metric(afterChange, "bastion_reconcile_duration_seconds");
        assertTrue(changeSeconds > 0, afterChange);
        assertEquals(1, metric(afterChange, "bastion_reconcile_total{result=\"changed\"}"));
        double unchanged = metric(afterChange, "bastion_reconcile_total{result=\"unchanged\"}");

        agent.pollOnce();
        agent.pollOnce();
        String afterNoOps = agent.metrics().scrape();
        assertEquals(changeSeconds, metric(afterNoOps, "bastion_reconcile_duration_seconds"),
                "polls without a change leave the duration of the last change");
        assertEquals(1, metric(afterNoOps, "bastion_reconcile_total{result=\"changed\"}"));
        assertEquals(unchanged + 2, metric(afterNoOps, "bastion_reconcile_total{result=\"unchanged\"}"));

        enforcer.failing = true;
        Path inventory = dir.resolve("inventory.yaml");
        Files.writeString(inventory, Files.readString(inventory).replace("ip: 10.244.2.20", "ip: 10.244.2.21"));
        agent.pollOnce();
        String afterFailure = agent.metrics().scrape();
        assertEquals(1, metric(afterFailure, "bastion_reconcile_total{result=\"failed\"}"));
        assertEquals(changeSeconds, metric(afterFailure, "bastion_reconcile_duration_seconds"), "nothing changed");
    }

    private double polls() {
        String scrape = agent.metrics().scrape();
        return scrape.lines().filter(l -> l.startsWith("bastion_reconcile_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void anUnchangedContainersPartitionIsKeptWhenAnotherContainerChanges() throws Exception {
        startWith("kill-chain");
        agent.pollOnce();
        Map<String, ContainerPartition> before = agent.view().partitions();

        Path inventory = dir.resolve("inventory.yaml");
        Files.writeString(inventory, Files.readString(inventory).replace("ip: 172.17.0.5", "ip: 172.17.0.9"));
        agent.pollOnce();
        Map<String, ContainerPartition> after = agent.view().partitions();

        assertEquals(Ipv4Address.parse("172.17.0.9"), after.get("redis-guest").self().ip());
        assertNotEquals(before.get("nginx-guest"), after.get("nginx-guest"), "its peer moved");
        for (String untouched : List.of("nginx-user", "redis-user")) {
            assertSame(before.get(untouched), after.get(untouched), untouched + " is not computed anew");
        }
    }

    /** The value of the sample {@code name} (with its labels) in a scrape. */
    private static double metric(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .orElseThrow(() -> new AssertionError("no " + name + " in:\n" + scrape));
    }

    @Test
    void servesEachContainersPartition() throws Exception {
        InetSocketAddress api = startWith("kill-chain");
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + api.getPort() + "/api/v1/dependencies");
        agent.pollOnce();
        HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(base + "?container=nginx-guest")).build(),
                BodyHandlers.ofString());
        assertEquals(200, one.statusCode(), one.body());
        assertTrue(one.body().contains("\"container\" : \"redis-guest\""), one.body());
        assertTrue(one.body().contains("\"egress\" : [ \"tcp/6379\" ]"), one.body());
        assertFalse(one.body().contains("nginx-user"), "nothing towards the user service: " + one.body());
        assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "?container=nope")).build(),
                BodyHandlers.ofString()).statusCode());
    }

    @Test
    void suggestsPoliciesFromTheFlowsItSaw() throws Exception {
        InetSocketAddress api = startWith("kill-chain");
        agent.pollOnce();
        agent.flows().append(flow("nginx-user", "redis-user", 6379, true, "forward-local"));
        agent.flows().append(flow("nginx-user", "nginx-guest", 80, false, "no-policy"));
        String out = run("policy", "suggest", "--api=127.0.0.1:" + api.getPort());
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("Missing policies (flows no policy allows): 1"), out);
        assertTrue(out.contains("Excessive policies (no flow in the window): 1"), out);
        assertTrue(out.contains("- to: nginx-guest   # added"), out);
    }

    @Test
    void reloadsChainsAndKeepsTheOldOnesWhenAFileIsBad() throws Exception {
        Path chainsDir = dir.resolve("chains");
        Files.createDirectories(chainsDir);
        for (String f : List.of("guard-tenant.yaml", "redis-user.yaml")) {
            Files.copy(Path.of("../examples/chains/kill-chain").resolve(f), chainsDir.resolve(f));
        }
        Path inventory = dir.resolve("inventory.yaml");
        Files.copy(Path.of("../examples/topologies/kill-chain.yaml"), inventory);
        AgentConfig config = AgentConfig.load(Optional.empty(), Map.of(),
                Map.of(Setting.API_ADDRESS, "127.0.0.1:0", Setting.POLL_INTERVAL, "1h", Setting.NODE, "node1"));
        try (FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader());
             ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, AlertSink.DISCARD, Clock.systemUTC(),
                     System::nanoTime)) {
            ChainDirectory chains = new ChainDirectory(chainsDir, registry, engine, entries -> { });
            agent = new Agent(config, new StaticCollector(inventory), enforcer, Optional.of(chains));
            InetSocketAddress api = agent.start();
            agent.pollOnce();
            assertEquals(2, chains.inForce().definitions().size());
            assertFalse(chains.inForce().steering().isEmpty(), "the chains select flows the policy allows");

            Files.writeString(chainsDir.resolve("bad.yaml"), """
                    apiVersion: bastion.dev/v1
                    kind: SecurityChain
                    name: bad
                    context:
                      containerSets: [no-such-set]
                    functions:
                      - name: no-such-function
                    """);
            agent.pollOnce();
            String status = status(api, "--json");
            assertTrue(status.contains("\"chains\" : 2"), "the chains in force stay: " + status);
            assertTrue(status.contains("bad.yaml:5"), "the problem names file and line: " + status);

            Files.delete(chainsDir.resolve("bad.yaml"));
            Files.delete(chainsDir.resolve("guard-tenant.yaml"));
            agent.pollOnce();
            assertEquals(List.of("redis-user"), chains.inForce().definitions().stream().map(d -> d.name()).toList());
            assertTrue(chains.error().isEmpty());
        }
    }

    private String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BastionCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return code + "\n" + out + err;
    }

    private static FlowRecord flow(String src, String dst, int port, boolean allowed, String reason) {
        return new FlowRecord(Instant.parse("2026-11-22T10:00:00Z"), src, dst, "172.17.0.4", "172.17.0.5", "tcp",
                40000, port, allowed, reason);
    }

    private InetSocketAddress startWithoutInventory() throws Exception {
        AgentConfig config = AgentConfig.load(Optional.empty(), Map.of(),
                Map.of(Setting.API_ADDRESS, "127.0.0.1:0", Setting.POLL_INTERVAL, "1h", Setting.NODE, "node1"));
        agent = new Agent(config, () -> Optional.empty(), enforcer);
        return agent.start();
    }

    @Test
    void flowsListsRecentFlowsAndFiltersDenied() throws Exception {
        InetSocketAddress api = startWithoutInventory();
        agent.flows().append(flow("nginx-guest", "redis-guest", 6379, true, "policy"));
        agent.flows().append(flow("nginx-guest", "redis-user", 6379, false, "no-dependency"));
        agent.flows().append(flow("nginx-guest", null, 22, false, "gateway"));
        String apiArg = "--api=127.0.0.1:" + api.getPort();

        String all = run("flows", apiArg);
        assertTrue(all.startsWith("0\n"), all);
        assertTrue(all.contains("nginx-guest      redis-guest      tcp   172.17.0.4:40000"), all);
        assertEquals(4, all.lines().filter(l -> l.contains("nginx-guest")).count() + 1, all);

        String denied = run("flows", apiArg, "--denied");
        assertFalse(denied.contains("policy"), denied);
        assertTrue(denied.contains("deny   no-dependency"), denied);
        assertTrue(denied.contains("deny   gateway"), denied);

        String one = run("flows", apiArg, "--container=redis-user", "--json");
        assertEquals(1, one.lines().filter(l -> l.startsWith("{")).count(), one);
        assertTrue(one.contains("\"reason\":\"no-dependency\""), one);
        assertTrue(one.contains("\"at\":\"2026-11-22T10:00:00Z\""), one);

        assertTrue(run("flows", apiArg, "--limit=0").startsWith("2\n"), "a bad limit is invalid input");
    }

    @Test
    void followPrintsFlowsThatArriveLater() throws Exception {
        InetSocketAddress api = startWithoutInventory();
        agent.flows().append(flow("a", "b", 1, true, "policy"));
        StringWriter out = new StringWriter();
        Thread follower = new Thread(() -> BastionCommand.execute(new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true), "flows", "--follow", "--api=127.0.0.1:" + api.getPort()));
        follower.start();
        try {
            waitFor(() -> out.toString().contains(" a "), out);
            agent.flows().append(flow("c", "d", 2, false, "no-dependency"));
            waitFor(() -> out.toString().contains("no-dependency"), out);
            assertEquals(1, out.toString().lines().filter(l -> l.contains("a                b")).count(),
                    "an event is printed once: " + out);
        } finally {
            follower.interrupt();
            follower.join(5000);
        }
        assertFalse(follower.isAlive(), "--follow stops when interrupted");
    }

    @Test
    void alertsListsAlertsFromChains() throws Exception {
        InetSocketAddress api = startWithoutInventory();
        agent.alerts().append(new AlertRecord(Instant.parse("2026-11-22T10:00:00Z"), "redis-guard", "suricata", "high",
                "redis FLUSHALL from a guest", "172.17.0.4", "172.17.0.5", "tcp", 40000, 6379, "drop"));
        String out = run("alerts", "--api=127.0.0.1:" + api.getPort());
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("redis-guard"), out);
        assertTrue(out.contains("tcp 172.17.0.4:40000 > 172.17.0.5:6379"), out);
        assertTrue(out.contains("redis FLUSHALL from a guest"), out);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, StringWriter out) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; output so far:\n" + out);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void statusFailsWhenNoAgentListens() {
        String out = status(new InetSocketAddress("127.0.0.1", 1));
        assertTrue(out.startsWith("1\n"), out);
        assertTrue(out.contains("cannot reach the agent"), out);
    }
}
