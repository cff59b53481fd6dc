package dev.bastion.bench.chain;

import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.Chain;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.ChainSet;
import dev.bastion.chain.engine.FailureMode;
import dev.bastion.chain.engine.FlowPolicy;
import dev.bastion.chain.engine.InspectionDepth;
import dev.bastion.chain.engine.Ticker;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Built-in functions in the engine on one established Redis connection: requests (a PING in a 68-byte frame,
 * or a SET filling a 1,500-byte frame) alternating with "+OK" replies. Sequence and acknowledgement numbers
 * are advanced in place before each packet, so that the L4 guard sees a live connection, not replays. The time
 * budget is set high so that a preempted call on a busy machine cannot turn the conversation into drops.
 */
public class ChainFunctionsBenchmark extends ChainBenchmarkSettings {
    private static final int SLOT = 2048;
    private static final int SEQ = 14 + 20 + 4;
    private static final int ACK = SEQ + 4;
    private static final Map<String, String> CONFIG = Map.of(
            "l4-guard", "{}",
            "redis-acl", "deny: [FLUSHALL, FLUSHDB, CONFIG]",
            "signature", "rules: [{id: flush, content: FLUSHALL, action: block-flow}]");

    @Param({"l4-guard", "l4-guard,redis-acl,signature"})
    String functions;

    @Param({"68", "1500"})
    int requestBytes;

    private FunctionRegistry registry;
    private ChainEngine engine;
    private ByteBuffer frames;
    private int requestLength;
    private int replyLength;
    private int requestPayload;
    private int replyPayload;
    private long clientSeq = 1_000;
    private long serverSeq = 9_000;
    private boolean replyNext;
    private long now;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        registry = FunctionRegistry.fromClassPath(getClass().getClassLoader());
        List<Chain.NamedFunction> chain = new ArrayList<>();
        for (String name : functions.split(",")) {
            chain.add(new Chain.NamedFunction(name, registry.find(name).orElseThrow()
                    .create(FunctionConfig.parse(CONFIG.get(name)))));
        }
        engine = new ChainEngine(ChainEngine.Settings.DEFAULT, AlertSink.DISCARD, Clock.systemUTC(), Ticker.SYSTEM);
        engine.install(new ChainSet(List.of(new Chain("bench", FailureMode.CLOSED, InspectionDepth.UNLIMITED,
                Duration.ofSeconds(1), chain)), (container, peer, protocol, port) -> "bench", FlowPolicy.ALLOW_ALL));

        byte[] request = FrameBuilder.tcp("172.17.0.2", 40000, "172.17.0.3", 6379)
                .flags(PacketView.TCP_ACK | PacketView.TCP_PSH).payload(command(requestBytes - 54)).build();
        byte[] reply = FrameBuilder.tcp("172.17.0.3", 6379, "172.17.0.2", 40000)
                .flags(PacketView.TCP_ACK | PacketView.TCP_PSH).payload("+OK\r\n").padTo(60).build();
        requestLength = request.length;
        replyLength = reply.length;
        requestPayload = request.length - 54;
        replyPayload = 5;
        frames = ByteBuffer.allocateDirect(2 * SLOT);
        frames.put(0, request).put(SLOT, reply);
        for (int i = 0; i < 1_000; i++) {
            if (packet() != Verdict.PASS) {
                throw new IllegalStateException(functions + " does not pass packet " + i + " of the conversation");
            }
        }
    }

    /** A Redis command of exactly {@code bytes} bytes: PING when small, else a SET with a padded value. */
    private static byte[] command(int bytes) {
        String ping = "*1\r\n$4\r\nPING\r\n";
        if (bytes <= ping.length()) {
            return ping.getBytes(StandardCharsets.US_ASCII);
        }
        String head = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$";
        int value = bytes - head.length() - 4;
        value -= String.valueOf(value).length();
        return (head + value + "\r\n" + "v".repeat(value) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
        registry.close();
    }

    @Benchmark
    public Verdict packet() {
        now += 1_000;
        boolean reply = replyNext;
        replyNext = !reply;
        if (reply) {
            frames.putInt(SLOT + SEQ, (int) serverSeq).putInt(SLOT + ACK, (int) clientSeq);
            serverSeq += replyPayload;
            return engine.process("redis-user", frames, SLOT, replyLength, now);
        }
        frames.putInt(SEQ, (int) clientSeq).putInt(ACK, (int) serverSeq);
        clientSeq += requestPayload;
        return engine.process("nginx-user", frames, 0, requestLength, now);
    }
}
