package dev.bastion.chain.engine;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowKey;
import dev.bastion.chain.spi.FrameView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs steered packets through their flow's chain. Per packet: parse the frame, find or create the flow,
 * call the chain's functions in order until one does not PASS, apply the failure mode to functions that throw
 * or overrun the budget, hand the flow back to the kernel once the inspection depth is reached.
 *
 * <p>One engine is driven by one thread ({@link #process}, {@link #expire}, {@link #close}); {@link #install}
 * may be called from any thread and takes effect at that thread's next packet. Nothing is shared between
 * engines, and the steady path (a known flow) allocates nothing.
 */
public final class ChainEngine implements AutoCloseable {
    private static final long MIN_EXPIRY_INTERVAL_NANOS = 1_000_000L;

    /** Flow table bounds. */
    public record Settings(int maxFlows, Duration idleTimeout) {
        public static final Settings DEFAULT = new Settings(65_536, Duration.ofSeconds(30));
    }

    private final FlowTable table;
    private final FrameView view = new FrameView();
    private final FlowTuple probe = new FlowTuple();
    private final PendingAlerts alerts = new PendingAlerts();
    private final AlertSink sink;
    private final Clock clock;
    private final Ticker ticker;
    private final EngineMetrics metrics = new EngineMetrics();
    private final Consumer<Flow> onRemoved = this::removed;
    private final long expiryIntervalNanos;
    private final Map<String, ChainMetrics> metricsByChain = new HashMap<>();
    private volatile List<ChainMetrics> publishedMetrics = List.of();
    private volatile ChainSet installed;
    private ChainSet current;
    private String detour;
    private int generation;
    private long lastExpiryNanos;

    public ChainEngine(Settings settings, AlertSink sink, Clock clock, Ticker ticker) {
        long idle = settings.idleTimeout().toNanos();
        this.table = new FlowTable(settings.maxFlows(), idle);
        this.sink = sink;
        this.clock = clock;
        this.ticker = ticker;
        this.expiryIntervalNanos = Math.max(MIN_EXPIRY_INTERVAL_NANOS, idle / 8);
        this.installed = ChainSet.empty();
        swapIn(installed);
    }

    /**
     * Replaces the whole chain set. New flows use the new set from the next packet on; flows in progress keep
     * the chain they started under, unless the new set's policy no longer allows them (then they are blocked).
     * The old set's function instances are closed once their last flow is gone.
     */
    public void install(ChainSet set) {
        for (Chain chain : set.chains()) {
            if (chain.isClosed()) {
                throw new IllegalArgumentException("chain " + chain.name() + " was closed (replaced earlier?): "
                        + "load the chains again to install them");
            }
        }
        installed = set;
    }

    /**
     * Inspects one frame received from {@code container}'s interface. The frame is {@code length} bytes of
     * {@code buffer} from absolute index {@code offset}; {@code nowNanos} is its monotonic receive time.
     */
    public Verdict process(String container, ByteBuffer buffer, int offset, int length, long nowNanos) {
        detour = null;
        if (installed != current) {
            swapIn(installed);
        }
        if (nowNanos - lastExpiryNanos >= expiryIntervalNanos) {
            expire(nowNanos);
        }
        metrics.packets++;
        FrameView packet = view.wrap(buffer, offset, length, nowNanos);
        if (!packet.isIpv4() || packet.isTruncated() || packet.isFragment()) {
            metrics.malformed++;
            return Verdict.DROP;
        }
        int sourcePort = packet.sourcePort();
        int destinationPort = packet.destinationPort();
        Flow flow = table.get(probe.set(packet.sourceIp(), packet.destinationIp(), packet.protocol(), sourcePort,
                destinationPort));
        if (flow == null) {
            flow = newFlow(container, packet, nowNanos);
            if (flow == null) {
                metrics.unmatched++;
                return Verdict.DROP;
            }
        }
        Direction direction = flow.directionOf(packet.sourceIp(), sourcePort);
        packet.direction(direction);
        flow.count(direction, length, packet.payloadLength(), nowNanos);
        Chain chain = flow.chain;
        ChainMetrics chainMetrics = chain.metrics;
        chainMetrics.packets++;

        if (flow.decided != null) {
            Verdict late = flow.decided.forwards() ? Verdict.PASS : Verdict.DROP;
            chainMetrics.verdicts().add(late);
            return late;
        }
        if (flow.generation != generation) {
            flow.generation = generation;
            if (!current.policy().allows(flow.key)) {
                metrics.blockedOnReload++;
                return decide(flow, Verdict.BLOCK_FLOW);
            }
        }
        Verdict verdict = runChain(chain, packet, flow);
        if (verdict == Verdict.PASS && chain.depth().reached(flow.totalPackets(), flow.payloadBytes)) {
            chainMetrics.depthBypasses++;
            verdict = Verdict.BYPASS_FLOW;
        }
        if (verdict == Verdict.BLOCK_FLOW || verdict == Verdict.BYPASS_FLOW) {
            return decide(flow, verdict);
        }
        chainMetrics.verdicts().add(verdict);
        if (!alerts.isEmpty()) {
            alerts.publish(verdict, clock, sink);
        }
        return verdict;
    }

    /** The pipeline proper: each function in turn until one does not pass. */
    private Verdict runChain(Chain chain, FrameView packet, Flow flow) {
        SecurityFunction[] functions = chain.functions;
        if (functions.length == 0) {
            return Verdict.PASS;
        }
        FunctionMetrics[] functionMetrics = chain.functionMetrics;
        Verdict failure = chain.failureMode().verdict();
        long budget = chain.budgetNanos();
        long chainStart = ticker.nanos();
        long start = chainStart;
        Verdict verdict = Verdict.PASS;
        for (int i = 0; i < functions.length && verdict == Verdict.PASS; i++) {
            FunctionMetrics m = functionMetrics[i];
            m.packets++;
            flow.current = i;
            Verdict returned;
            try {
                returned = functions[i].inspect(packet, flow);
                if (returned == null) {
                    throw new NullPointerException(chain.functionNames[i] + " returned no verdict");
                }
                m.verdicts().add(returned);
            } catch (RuntimeException | StackOverflowError e) {
                m.errors++;
                returned = null;
            }
            long end = ticker.nanos();
            long spent = end - start;
            start = end;
            m.latency().record(spent);
            boolean overran = spent > budget && chain.warmed[i];
            chain.warmed[i] = true;
            if (returned == null || overran) {
                if (returned != null) {
                    m.overruns++;
                }
                chain.metrics.failures++;
                // Failing closed, a function that overran but refused the packet keeps its verdict (it may
                // be the stricter BLOCK_FLOW); a verdict that would forward the packet is not trusted.
                verdict = returned != null && !returned.forwards() && failure == Verdict.DROP ? returned : failure;
            } else {
                verdict = returned;
                if (i == functions.length - 1 && returned == Verdict.PASS) {
                    detour = chain.externalPort; // null unless the last function inspects outside the JVM
                }
            }
        }
        chain.metrics.latency().record(start - chainStart);
        return verdict;
    }

    /**
     * Where the frame that {@link #process} last forwarded must go before its destination: the port of its
     * chain's external inspection, which passed it on; null when it goes straight to its destination.
     */
    public String detour() {
        return detour;
    }

    /** Ends inspection of a flow (block or bypass): later packets in flight get the matching verdict. */
    private Verdict decide(Flow flow, Verdict verdict) {
        flow.decided = verdict;
        flow.chain.metrics.verdicts().add(verdict);
        flow.closeStates();
        if (!alerts.isEmpty()) {
            alerts.publish(verdict, clock, sink);
        }
        return verdict;
    }

    private Flow newFlow(String container, FrameView packet, long nowNanos) {
        ChainSelector selector = current.selector();
        int protocol = packet.protocol();
        String chainName = selector.chainFor(container, packet.destinationIp(), protocol, packet.destinationPort());
        if (chainName == null) {
            // First packet seen may be a reply (the flow began before the chain set was installed).
            chainName = selector.chainFor(container, packet.destinationIp(), protocol, packet.sourcePort());
        }
        Chain chain = chainName == null ? null : current.chain(chainName);
        if (chain == null) {
            return null;
        }
        FlowKey key = new FlowKey(container, packet.sourceIp(), packet.destinationIp(), protocol,
                packet.sourcePort(), packet.destinationPort());
        Flow flow = new Flow(key, probe.copy(), chain, nowNanos, generation, alerts);
        Flow evicted = table.add(flow);
        if (evicted != null) {
            metrics.flowsEvicted++;
            removed(evicted);
        }
        chain.flows++;
        chain.metrics.flows++;
        metrics.flowsCreated++;
        metrics.activeFlows = table.size();
        return flow;
    }

    /**
     * Removes flows idle for the timeout. {@link #process} calls it too, at most every eighth of the timeout;
     * the owner should call it periodically when packets may stop arriving.
     */
    public void expire(long nowNanos) {
        if (installed != current) {
            swapIn(installed); // also lets an idle engine retire the chains a reload replaced
        }
        lastExpiryNanos = nowNanos;
        metrics.flowsExpired += table.expire(nowNanos, onRemoved);
        metrics.activeFlows = table.size();
    }

    private void removed(Flow flow) {
        if (flow.decided == null) {
            flow.closeStates();
            if (!alerts.isEmpty()) {
                alerts.publish(Verdict.PASS, clock, sink); // raised while closing: nothing was refused
            }
        }
        Chain chain = flow.chain;
        if (--chain.flows == 0 && chain.retired) {
            chain.close();
        }
    }

    private void swapIn(ChainSet next) {
        ChainSet previous = current;
        current = next;
        generation++;
        for (Chain chain : next.chains()) {
            ChainMetrics kept = metricsByChain.get(chain.name());
            if (kept == null || !kept.functionNames().equals(chain.functionNames())) {
                kept = new ChainMetrics(chain.name(), chain.functionNames());
                metricsByChain.put(chain.name(), kept);
            }
            chain.attach(kept);
        }
        publishedMetrics = next.chains().stream().map(c -> c.metrics).toList();
        if (previous != null) {
            metrics.reloads++;
            for (Chain chain : previous.chains()) {
                if (next.chains().contains(chain)) {
                    continue;
                }
                chain.retired = true;
                if (chain.flows == 0) {
                    chain.close();
                }
            }
        }
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    /** Counters of the chains of the set in force (as of the last packet processed). */
    public List<ChainMetrics> chainMetrics() {
        return publishedMetrics;
    }

    /** Ends every flow and closes every function instance. */
    @Override
    public void close() {
        table.removeAll(onRemoved);
        metrics.activeFlows = 0;
        for (Chain chain : current.chains()) {
            chain.close();
        }
    }
}
