package dev.bastion.functions.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.engine.Chain;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.ChainMetrics;
import dev.bastion.chain.engine.ChainSet;
import dev.bastion.chain.engine.FailureMode;
import dev.bastion.chain.engine.FlowPolicy;
import dev.bastion.chain.engine.InspectionDepth;
import dev.bastion.chain.engine.Ticker;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.spi.Alert;
import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.Wire;
import dev.bastion.policies.model.Ipv4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in functions found the way the agent finds them, configured from YAML and run by the chain engine. */
class BuiltInFunctionsInTheEngineTest {
    private static final String CLIENT = "nginx-user";
    private static final String CLIENT_IP = "172.17.0.2";
    private static final String SERVER = "redis-user";
    private static final String SERVER_IP = "172.17.0.3";

    private final List<Alert> alerts = new ArrayList<>();

    private static Chain.NamedFunction function(FunctionRegistry registry, String name, String yaml) throws Exception {
        return new Chain.NamedFunction(name, registry.find(name).orElseThrow().create(FunctionConfig.parse(yaml)));
    }

    private ChainEngine engine(Chain chain) {
        ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, alerts::add, Clock.systemUTC(), Ticker.SYSTEM);
        int server = Ipv4Address.parse(SERVER_IP).bits();
        engine.install(new ChainSet(List.of(chain),
                (container, peer, protocol, port) -> container.equals(CLIENT) && peer == server && port == 6379 ? chain.name() : null,
                FlowPolicy.ALLOW_ALL));
        return engine;
    }

    private static Conversation redisConversation(ChainEngine engine, int clientPort) {
        return Conversation.tcp((direction, frame, ts) -> engine.process(direction == Direction.ORIGINAL ? CLIENT : SERVER,
                ByteBuffer.wrap(frame), 0, frame.length, ts), CLIENT_IP, clientPort, SERVER_IP, 6379);
    }

    @Test
    void everyBuiltInFunctionIsFoundOnTheClassPath() throws Exception {
        try (FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader())) {
            assertTrue(registry.names().containsAll(List.of("dns-filter", "http-filter", "l4-guard", "rate-limit",
                    "redis-acl", "signature", "tls-sni")), registry.names().toString());
        }
    }

    @Test
    void aRedisChainBlocksTheKillChainsConfigCommand() throws Exception {
        try (FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader())) {
            Chain chain = new Chain("redis-guard", FailureMode.CLOSED, InspectionDepth.UNLIMITED, Duration.ofMillis(50), List.of(
                    function(registry, "l4-guard", "synRate: {perSecond: 100}"),
                    function(registry, "redis-acl", "deny: [CONFIG, SLAVEOF, REPLICAOF, MODULE, FLUSHALL]"),
                    function(registry, "signature", "rules: [{id: ssh-key, content: 'ssh-rsa ', action: alert}]")));
            ChainEngine engine = engine(chain);
            Conversation c = redisConversation(engine, 41000);
            assertEquals(List.of(Verdict.PASS, Verdict.PASS, Verdict.PASS), c.handshake());
            assertEquals(Verdict.PASS, c.client(Wire.redis("SET", "k", "v")));
            assertEquals(Verdict.PASS, c.client(Wire.redis("SET", "x", "ssh-rsa AAAAB3Nza attacker@host")), "alert only");
            assertEquals(Verdict.BLOCK_FLOW, c.client(Wire.redis("CONFIG", "SET", "dir", "/root/.ssh")));
            assertEquals(Verdict.DROP, c.client(Wire.redis("SAVE")), "the engine drops the rest of a blocked flow");
            assertEquals(2, alerts.size(), alerts.toString());
            assertEquals("signature", alerts.get(0).function());
            assertEquals(Verdict.PASS, alerts.get(0).action());
            assertEquals("redis-acl", alerts.get(1).function());
            assertEquals(Verdict.BLOCK_FLOW, alerts.get(1).action());
            engine.close();
        }
    }

    /** A regex with catastrophic backtracking (a back-reference defeats the JDK's memoization) overruns the time budget: the chain's failure mode decides. */
    @Test
    void aFunctionOverrunningItsBudgetGetsTheChainsFailureMode() throws Exception {
        byte[] evil = "a".repeat(20).getBytes(StandardCharsets.US_ASCII);
        for (FailureMode mode : FailureMode.values()) {
            try (FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader())) {
                Chain chain = new Chain("slow-" + mode, mode, InspectionDepth.UNLIMITED, Duration.ofMillis(20), List.of(
                        function(registry, "signature", "rules: [{id: redos, regex: '(a*)*\\1b', action: drop}]")));
                ChainEngine engine = engine(chain);
                Conversation c = redisConversation(engine, 42000);
                c.handshake();
                assertEquals(Verdict.PASS, c.client("ordinary".getBytes(StandardCharsets.US_ASCII)));
                Verdict verdict = c.client(evil);
                assertEquals(mode == FailureMode.CLOSED ? Verdict.DROP : Verdict.PASS, verdict, mode.name());
                ChainMetrics metrics = engine.chainMetrics().get(0);
                assertEquals(1, metrics.functions().get(0).overruns(), mode.name());
                engine.close();
            }
        }
    }
}
