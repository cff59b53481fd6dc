package dev.bastion.chain.engine;

import static dev.bastion.chain.engine.EngineFixture.CLIENT;
import static dev.bastion.chain.engine.EngineFixture.SERVER;
import static dev.bastion.chain.engine.EngineFixture.chain;
import static dev.bastion.chain.engine.EngineFixture.reply;
import static dev.bastion.chain.engine.EngineFixture.request;
import static dev.bastion.chain.engine.EngineFixture.setOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.engine.EngineFixture.Scripted;
import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.ExternalInspection;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChainEngineTest {

    @Test
    void emptyChainPassesAndUnknownFlowsOrFramesAreDropped() {
        EngineFixture f = new EngineFixture();
        f.engine.install(setOf(chain("empty", FailureMode.CLOSED, InspectionDepth.UNLIMITED), FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.PASS, f.send(request(40000, "PING")));
        byte[] otherPort = FrameBuilder.tcp(EngineFixture.CLIENT_IP, 40000, EngineFixture.SERVER_IP, 22).build();
        assertEquals(Verdict.DROP, f.send(otherPort), "no chain selects it");
        assertEquals(Verdict.DROP, f.send(new byte[20]), "not IPv4");
        assertEquals(1, f.engine.metrics().unmatched());
        assertEquals(1, f.engine.metrics().malformed());
        assertEquals(1, f.engine.chainMetrics().get(0).verdicts().get(Verdict.PASS));
    }

    @Test
    void functionsRunInOrderUntilOneRefusesAndAlertsCarryTheVerdict() {
        EngineFixture f = new EngineFixture();
        Scripted first = new Scripted(Verdict.PASS);
        SecurityFunction alerting = (packet, flow) -> {
            flow.alert(Severity.HIGH, "bad command");
            return Verdict.DROP;
        };
        Scripted third = new Scripted(Verdict.PASS);
        f.engine.install(setOf(chain("redis", FailureMode.CLOSED, InspectionDepth.UNLIMITED, first, alerting, third),
                FlowPolicy.ALLOW_ALL));

        assertEquals(Verdict.DROP, f.send(request(40000, "FLUSHALL")));
        assertEquals(List.of("ORIGINAL:8"), first.seen);
        assertTrue(third.seen.isEmpty(), "the chain stops at the first refusal");
        assertEquals(1, f.alerts.size());
        assertEquals("f1", f.alerts.get(0).function());
        assertEquals("redis", f.alerts.get(0).chain());
        assertEquals(Verdict.DROP, f.alerts.get(0).action());
        assertEquals(EngineFixture.CLOCK.instant(), f.alerts.get(0).at());
        ChainMetrics m = f.engine.chainMetrics().get(0);
        assertEquals(1, m.alerts());
        assertEquals(1, m.functions().get(1).verdicts().get(Verdict.DROP));
        assertEquals(0, m.functions().get(2).packets());
    }

    @Test
    void repliesShareTheFlowAndTheFunctionsStateWithDirection() {
        EngineFixture f = new EngineFixture();
        SecurityFunction counter = (packet, flow) -> {
            AtomicLong calls = flow.state(AtomicLong::new);
            calls.incrementAndGet();
            if (packet.direction() == Direction.REPLY) {
                assertEquals(calls.get(), flow.packets(Direction.ORIGINAL) + flow.packets(Direction.REPLY));
            }
            return Verdict.PASS;
        };
        Scripted recorder = new Scripted(Verdict.PASS);
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, counter, recorder),
                FlowPolicy.ALLOW_ALL));
        f.send(request(40000, "GET a"));
        f.send(SERVER, reply(40000, "+OK"), 2);
        f.send(request(40000, "GET b"));
        assertEquals(List.of("ORIGINAL:5", "REPLY:3", "ORIGINAL:5"), recorder.seen);
        assertEquals(1, f.engine.metrics().flowsCreated());
    }

    @Test
    void aThrowingFunctionGetsTheFailureMode() {
        SecurityFunction broken = (packet, flow) -> {
            throw new IllegalStateException("bug");
        };
        EngineFixture closed = new EngineFixture();
        Scripted afterClosed = new Scripted(Verdict.PASS);
        closed.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, broken, afterClosed),
                FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.DROP, closed.send(request(40000, "x")));
        assertTrue(afterClosed.seen.isEmpty());
        assertEquals(1, closed.engine.chainMetrics().get(0).functions().get(0).errors());
        assertEquals(1, closed.engine.chainMetrics().get(0).failures());

        EngineFixture open = new EngineFixture();
        Scripted afterOpen = new Scripted(Verdict.PASS);
        open.engine.install(setOf(chain("o", FailureMode.OPEN, InspectionDepth.UNLIMITED, broken, afterOpen),
                FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.PASS, open.send(request(40000, "x")));
        assertEquals(1, afterOpen.seen.size(), "fail-open goes on with the next function");
        assertEquals(1, open.engine.chainMetrics().get(0).functions().get(0).errors());
    }

    /** A function inspecting outside the JVM: up, it passes the packet on to its port; down, it throws. */
    private static final class External implements SecurityFunction, ExternalInspection {
        boolean up = true;

        @Override
        public Verdict inspect(PacketView packet, FlowContext flow) {
            if (!up) {
                throw new IllegalStateException("external engine down");
            }
            return Verdict.PASS;
        }

        @Override
        public String port() {
            return "dpi0";
        }
    }

    @Test
    void packetsAnExternalFunctionPassesDetourThroughItsPortOthersDoNot() {
        External external = new External();
        Scripted java = new Scripted(Verdict.PASS, Verdict.DROP, Verdict.PASS);
        EngineFixture closed = new EngineFixture();
        closed.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.packets(5), java, external),
                FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.PASS, closed.send(request(40000, "a")));
        assertEquals("dpi0", closed.engine.detour());
        assertEquals(Verdict.DROP, closed.send(request(40000, "b")), "a Java function refused it first");
        assertNull(closed.engine.detour());
        assertEquals(Verdict.PASS, closed.send(SERVER, reply(40000, "c"), 2));
        assertEquals("dpi0", closed.engine.detour(), "replies take the same detour");
        external.up = false;
        assertEquals(Verdict.DROP, closed.send(request(40000, "d")), "external engine down, fail-closed");
        assertNull(closed.engine.detour());
        external.up = true;
        assertEquals(Verdict.BYPASS_FLOW, closed.send(request(40000, "e")));
        assertEquals("dpi0", closed.engine.detour(), "the last inspected packet still goes through the engine");
        assertEquals(Verdict.PASS, closed.send(request(40000, "f")), "in flight after the bypass");
        assertNull(closed.engine.detour());

        External down = new External();
        down.up = false;
        EngineFixture open = new EngineFixture();
        open.engine.install(setOf(chain("o", FailureMode.OPEN, InspectionDepth.UNLIMITED, down), FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.PASS, open.send(request(40000, "a")), "fail-open forwards without the external engine");
        assertNull(open.engine.detour());
    }

    @Test
    void anExternalFunctionAnywhereButLastIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, new External(), new Scripted(Verdict.PASS)));
        assertEquals("chain c: f0 inspects outside the agent and must be the chain's last function", e.getMessage());
    }

    @Test
    void overrunningTheBudgetGetsTheFailureModeAndIsCounted() {
        EngineFixture f = new EngineFixture();
        SecurityFunction slow = (packet, flow) -> {
            f.tick[0] += Duration.ofMillis(5).toNanos();
            return Verdict.PASS;
        };
        SecurityFunction slowRefusing = (packet, flow) -> {
            f.tick[0] += Duration.ofMillis(5).toNanos();
            return Verdict.BLOCK_FLOW;
        };
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, slow), FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.PASS, f.send(request(40000, "x")), "a function's first call may load classes");
        assertEquals(Verdict.DROP, f.send(request(40000, "y")));
        FunctionMetrics m = f.engine.chainMetrics().get(0).functions().get(0);
        assertEquals(1, m.overruns());
        assertEquals(0, m.errors());
        assertEquals(2, m.latency().count());
        assertEquals(1L << 23, m.latency().quantileUpperBound(0.5), "5 ms falls in the 2^22..2^23 ns bucket");

        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, slowRefusing),
                FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.BLOCK_FLOW, f.send(request(40001, "x")));
        assertEquals(Verdict.BLOCK_FLOW, f.send(request(40002, "x")), "a late refusal keeps its stricter verdict");
        assertEquals(2, f.engine.chainMetrics().get(0).functions().get(0).overruns(), "counted on from the first set");

        EngineFixture open = new EngineFixture();
        SecurityFunction slowOpen = (packet, flow) -> {
            open.tick[0] += Duration.ofMillis(5).toNanos();
            return Verdict.DROP;
        };
        open.engine.install(setOf(chain("o", FailureMode.OPEN, InspectionDepth.UNLIMITED, slowOpen),
                FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.DROP, open.send(request(40000, "x")), "first call: its own verdict");
        assertEquals(Verdict.PASS, open.send(request(40000, "y")));
    }

    @Test
    void inspectionDepthHandsTheFlowBackToTheKernel() {
        EngineFixture f = new EngineFixture();
        Scripted function = new Scripted(Verdict.PASS);
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.packets(3), function),
                FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.PASS, f.send(request(40000, "a")));
        assertEquals(Verdict.PASS, f.send(SERVER, reply(40000, "b"), 2));
        assertEquals(Verdict.BYPASS_FLOW, f.send(request(40000, "c")));
        assertEquals(Verdict.PASS, f.send(request(40000, "d")), "a packet in flight after the bypass passes");
        assertEquals(3, function.seen.size());
        assertEquals(1, function.closedFlows, "state is released when inspection ends");
        assertEquals(1, f.engine.chainMetrics().get(0).depthBypasses());

        EngineFixture bytes = new EngineFixture();
        bytes.engine.install(setOf(chain("b", FailureMode.CLOSED, InspectionDepth.bytes(10), new Scripted(Verdict.PASS)),
                FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.PASS, bytes.send(request(40000, "123456")));
        assertEquals(Verdict.BYPASS_FLOW, bytes.send(request(40000, "7890")));
    }

    @Test
    void blockFlowDropsTheRestOfTheFlowWithoutInspection() {
        EngineFixture f = new EngineFixture();
        AtomicLong calls = new AtomicLong();
        SecurityFunction function = (packet, flow) -> {
            calls.incrementAndGet();
            return packet.payloadByte(0) == 'b' ? Verdict.BLOCK_FLOW : Verdict.PASS;
        };
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, function),
                FlowPolicy.ALLOW_ALL));
        assertEquals(Verdict.PASS, f.send(request(40000, "a")));
        assertEquals(Verdict.BLOCK_FLOW, f.send(request(40000, "b")));
        assertEquals(Verdict.DROP, f.send(SERVER, reply(40000, "c"), 3));
        assertEquals(Verdict.DROP, f.send(request(40000, "a")));
        assertEquals(2, calls.get());
        assertEquals(Verdict.PASS, f.send(request(40001, "other flow")));
    }

    @Test
    void flowTableIsBoundedAndExpiresIdleFlows() {
        EngineFixture f = new EngineFixture(2, Duration.ofSeconds(10));
        Scripted function = new Scripted(Verdict.PASS);
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, function),
                FlowPolicy.ALLOW_ALL));
        f.send(CLIENT, request(1, "a"), 1);
        f.send(CLIENT, request(2, "b"), 2);
        f.send(CLIENT, request(1, "a"), 3); // flow 1 is now the most recent
        f.send(CLIENT, request(3, "c"), 4); // evicts flow 2
        EngineMetrics m = f.engine.metrics();
        assertEquals(1, m.flowsEvicted());
        assertEquals(2, m.activeFlows());
        assertEquals(1, function.closedFlows);
        f.send(CLIENT, request(2, "b"), 5); // evicts flow 1, seen last at 3
        assertEquals(4, m.flowsCreated(), "the evicted flow starts over");
        assertEquals(2, m.flowsEvicted());

        f.engine.expire(Duration.ofSeconds(10).toNanos() + 4);
        assertEquals(1, m.flowsExpired(), "flow 3 is idle for 10 s, flow 2 one nanosecond less");
        f.engine.expire(Duration.ofSeconds(20).toNanos());
        assertEquals(2, m.flowsExpired());
        assertEquals(0, m.activeFlows());
    }

    @Test
    void reloadKeepsFlowsOnTheirChainClosesTheOldOneAfterAndBlocksWhatPolicyNowDenies() {
        EngineFixture f = new EngineFixture(1024, Duration.ofSeconds(10));
        Scripted oldFunction = new Scripted(Verdict.PASS);
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, oldFunction),
                FlowPolicy.ALLOW_ALL));
        f.send(CLIENT, request(40000, "a"), 1);
        f.send(CLIENT, request(40001, "a"), 1);

        Scripted newFunction = new Scripted(Verdict.DROP);
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, newFunction),
                key -> key.sourcePort() != 40001));
        assertEquals(Verdict.PASS, f.send(CLIENT, request(40000, "b"), 2), "in-progress flow keeps its chain");
        assertEquals(Verdict.BLOCK_FLOW, f.send(CLIENT, request(40001, "b"), 2), "the new policy denies it");
        assertEquals(Verdict.DROP, f.send(CLIENT, request(40002, "b"), 2), "new flows use the new chain");
        assertEquals(3, oldFunction.seen.size(), "two first packets and the kept flow's second");
        assertEquals(1, newFunction.seen.size());
        assertEquals(1, f.engine.metrics().blockedOnReload());
        assertEquals(2, f.engine.metrics().reloads());
        assertFalse(oldFunction.closed, "flows still use the old instance");

        f.engine.expire(Duration.ofSeconds(11).toNanos());
        f.send(CLIENT, request(40003, "c"), Duration.ofSeconds(11).toNanos());
        assertTrue(oldFunction.closed, "closed once its last flow is gone");
        ChainSet stale = setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED), FlowPolicy.ALLOW_ALL);
        stale.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> f.engine.install(stale));
        assertFalse(newFunction.closed);
        assertEquals(List.of("f0"), f.engine.chainMetrics().get(0).functions().stream()
                .map(FunctionMetrics::function).toList());
        assertEquals(6, f.engine.chainMetrics().get(0).packets(), "counters carry over a reload of the same chain");
    }

    @Test
    void closeReleasesEveryFlowAndFunction() {
        EngineFixture f = new EngineFixture();
        Scripted function = new Scripted(Verdict.PASS);
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, function),
                FlowPolicy.ALLOW_ALL));
        f.send(request(40000, "a"));
        f.engine.close();
        assertEquals(1, function.closedFlows);
        assertTrue(function.closed);
    }

    @Test
    void theSteadyPathAllocatesNothing() {
        EngineFixture f = new EngineFixture();
        SecurityFunction reader = (PacketView packet, FlowContext flow) ->
                packet.payloadLength() > 0 && packet.payloadByte(0) == 'X' ? Verdict.DROP : Verdict.PASS;
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, reader, reader),
                FlowPolicy.ALLOW_ALL));
        byte[] frame = request(40000, "GET key");
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(frame);
        for (int i = 0; i < 200_000; i++) {
            f.engine.process(CLIENT, buffer, 0, frame.length, i);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            f.engine.process(CLIENT, buffer, 0, frame.length, 200_000 + i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, allocated + " bytes allocated for 100000 packets");
    }

    @Test
    void eachFunctionHasItsOwnStateAndMayAlertWhenTheFlowCloses() {
        EngineFixture f = new EngineFixture(1024, Duration.ofSeconds(1));
        List<Object> states = new java.util.ArrayList<>();
        SecurityFunction stateful = new SecurityFunction() {
            @Override
            public Verdict inspect(PacketView packet, FlowContext flow) {
                states.add(flow.state(AtomicLong::new));
                return Verdict.PASS;
            }

            @Override
            public void flowClosed(FlowContext flow) {
                flow.alert(Severity.LOW, "closed after " + flow.state(AtomicLong::new).get());
            }
        };
        f.engine.install(setOf(chain("c", FailureMode.CLOSED, InspectionDepth.UNLIMITED, stateful, stateful),
                FlowPolicy.ALLOW_ALL));
        f.send(CLIENT, request(40000, "a"), 1);
        f.send(CLIENT, request(40000, "b"), 2);
        assertEquals(4, states.size());
        assertTrue(states.get(0) != states.get(1), "two functions, two states");
        assertTrue(states.get(0) == states.get(2), "one function, one state across packets");
        f.engine.expire(Duration.ofSeconds(2).toNanos());
        assertEquals(2, f.alerts.size());
        assertEquals(Verdict.PASS, f.alerts.get(0).action());
        assertEquals("f0", f.alerts.get(0).function());
        assertEquals("f1", f.alerts.get(1).function());
    }
}
