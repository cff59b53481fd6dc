package dev.bastion.chain.engine;

import dev.bastion.chain.spi.Alert;
import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.policies.model.Ipv4Address;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An engine with a hand-driven ticker and recorded alerts, and frames between two lab containers. */
final class EngineFixture {
    static final String CLIENT = "nginx-user";
    static final String CLIENT_IP = "172.17.0.2";
    static final String SERVER = "redis-user";
    static final String SERVER_IP = "172.17.0.3";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);

    final List<Alert> alerts = new ArrayList<>();
    final long[] tick = {0};
    final ChainEngine engine;

    EngineFixture(int maxFlows, Duration idle) {
        engine = new ChainEngine(new ChainEngine.Settings(maxFlows, idle), alerts::add, CLOCK, () -> tick[0]);
    }

    EngineFixture() {
        this(1024, Duration.ofSeconds(30));
    }

    /** A set where every flow from the client to the server's tcp/6379 runs through {@code chain}. */
    static ChainSet setOf(Chain chain, FlowPolicy policy) {
        int server = Ipv4Address.parse(SERVER_IP).bits();
        int client = Ipv4Address.parse(CLIENT_IP).bits();
        ChainSelector selector = (container, peer, protocol, port) ->
                (container.equals(CLIENT) && peer == server && protocol == 6 && port == 6379)
                        || (container.equals(SERVER) && peer == client && protocol == 6 && port == 6379)
                        ? chain.name() : null;
        return new ChainSet(List.of(chain), selector, policy);
    }

    static Chain chain(String name, FailureMode mode, InspectionDepth depth, SecurityFunction... functions) {
        List<Chain.NamedFunction> named = new ArrayList<>();
        for (int i = 0; i < functions.length; i++) {
            named.add(new Chain.NamedFunction("f" + i, functions[i]));
        }
        return new Chain(name, mode, depth, Duration.ofMillis(1), named);
    }

    static byte[] request(int clientPort, String payload) {
        return FrameBuilder.tcp(CLIENT_IP, clientPort, SERVER_IP, 6379).payload(payload).build();
    }

    static byte[] reply(int clientPort, String payload) {
        return FrameBuilder.tcp(SERVER_IP, 6379, CLIENT_IP, clientPort).payload(payload).build();
    }

    Verdict send(String container, byte[] frame, long nowNanos) {
        return engine.process(container, ByteBuffer.wrap(frame), 0, frame.length, nowNanos);
    }

    Verdict send(byte[] frame) {
        return send(CLIENT, frame, 1);
    }

    /** A function that records the packets it saw and answers with the verdicts given, the last one repeated. */
    static final class Scripted implements SecurityFunction {
        final List<String> seen = new ArrayList<>();
        final List<Verdict> script;
        int closedFlows;
        boolean closed;

        Scripted(Verdict... script) {
            this.script = Arrays.asList(script);
        }

        @Override
        public Verdict inspect(dev.bastion.chain.spi.PacketView packet, dev.bastion.chain.spi.FlowContext flow) {
            seen.add(packet.direction() + ":" + packet.payloadLength());
            return script.get(Math.min(seen.size() - 1, script.size() - 1));
        }

        @Override
        public void flowClosed(dev.bastion.chain.spi.FlowContext flow) {
            closedFlows++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
