package dev.bastion.bench.chain;

import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.Chain;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.ChainSet;
import dev.bastion.chain.engine.FailureMode;
import dev.bastion.chain.engine.FlowPolicy;
import dev.bastion.chain.engine.InspectionDepth;
import dev.bastion.chain.engine.Ticker;
import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of the chain engine itself per packet: frame parsing, flow lookup, the pipeline walk and metrics,
 * with frames of established flows held in one direct buffer (as UMEM frames would be). {@code functions}
 * trivial PASS functions measure the per-function price (two clock reads, counters, the call).
 */
public class ChainEngineBenchmark extends ChainBenchmarkSettings {
    private static final String CLIENT = "client";
    private static final int FRAME_SLOT = 2048;

    @Param({"64", "1500"})
    int frameBytes;

    @Param({"1", "1024"})
    int flows;

    @Param({"0", "3"})
    int functions;

    private ChainEngine engine;
    private ByteBuffer umem;
    private int next;
    private long now;

    /** Reads one payload byte, as the cheapest real function would. */
    private static final SecurityFunction PASS = (packet, flow) ->
            packet.payloadLength() > 0 && packet.payloadByte(0) == (byte) 0xff ? Verdict.DROP : Verdict.PASS;

    @Setup(Level.Trial)
    public void setUp() {
        List<Chain.NamedFunction> named = new ArrayList<>();
        for (int i = 0; i < functions; i++) {
            named.add(new Chain.NamedFunction("pass-" + i, PASS));
        }
        Chain chain = new Chain("bench", FailureMode.CLOSED, InspectionDepth.UNLIMITED, Duration.ofMillis(1), named);
        engine = new ChainEngine(new ChainEngine.Settings(65_536, Duration.ofSeconds(30)), AlertSink.DISCARD,
                Clock.systemUTC(), Ticker.SYSTEM);
        engine.install(new ChainSet(List.of(chain), (container, peer, protocol, port) -> "bench", FlowPolicy.ALLOW_ALL));
        umem = ByteBuffer.allocateDirect(flows * FRAME_SLOT);
        int payload = frameBytes - 14 - 20 - 20;
        for (int i = 0; i < flows; i++) {
            byte[] frame = FrameBuilder.tcp("10.0.0.2", 10_000 + i, "10.0.0.3", 6379)
                    .payload(new byte[Math.max(0, payload)]).padTo(frameBytes).build();
            umem.put(i * FRAME_SLOT, frame);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Verdict packet() {
        int slot = next;
        next = slot + 1 == flows ? 0 : slot + 1;
        now += 100;
        return engine.process(CLIENT, umem, slot * FRAME_SLOT, frameBytes, now);
    }
}
