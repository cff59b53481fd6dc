package dev.bastion.bench.experiment;

import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.daemon.Agent;
import dev.bastion.agent.daemon.Enforcer;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.bench.policies.PoliciesScaleBench;
import dev.bastion.bench.report.Samples;
import dev.bastion.policies.collect.Collector;
import dev.bastion.policies.dependency.ContainerChange;
import dev.bastion.policies.model.Inventory;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real agent's reconcile at scale (issue 8), no lab: a synthetic platform ({@link PoliciesScaleBench}'s, one
 * set per 10 containers, one microservice per 100, 10 nodes) handed to {@link Agent} by an in-memory collector;
 * the agent computes the policy view and this node's partition changes and gives them to an enforcer that only
 * counts them (the kernel here cannot hold thousands of veths). Figures: the reconcile time, from the collector
 * handing the inventory over to the enforcer receiving this node's changes (the agent's own
 * {@code bastion_reconcile_duration_seconds} cannot be read here: every poll, also one without a change,
 * overwrites it), for the first inventory and for the next one where one container of this node moved; and the
 * heap retained by the agent and its inventory (used heap after GC, minus the same before the platform was built).
 */
public final class AgentScale {
    private static final Logger log = LoggerFactory.getLogger(AgentScale.class);
    private static final int NODES = 10;
    private static final String NODE = "node0";
    private static final Duration RECONCILE_TIMEOUT = Duration.ofMinutes(2);

    /** What one inventory size measured, over the rounds; counts are the same in every round. */
    public record Result(Samples firstMs, Samples oneChangedMs, Samples retainedMib, int localContainers,
                         long localPeerEntries, int changedOnOneMove) {
    }

    private record Round(double firstMs, double oneChangedMs, double retainedMib, int localContainers,
                         long localPeerEntries, int changedOnOneMove) {
    }

    private final List<Integer> sizes;
    private final int rounds;

    public AgentScale(List<Integer> sizes, int rounds) {
        this.sizes = sizes;
        this.rounds = rounds;
    }

    /** Sizes interleaved in every round, each in a fresh agent. */
    public Map<Integer, Result> run() throws Exception {
        Map<Integer, Result> out = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (int size : sizes) {
                log.info("round {}/{}: {} containers", round, rounds, size);
                Round r = once(size);
                Result sofar = out.computeIfAbsent(size, s -> new Result(new Samples(), new Samples(), new Samples(),
                        r.localContainers(), r.localPeerEntries(), r.changedOnOneMove()));
                sofar.firstMs().add(r.firstMs());
                sofar.oneChangedMs().add(r.oneChangedMs());
                sofar.retainedMib().add(r.retainedMib());
            }
        }
        return out;
    }

    private static Round once(int containers) throws Exception {
        long heapBefore = usedHeapAfterGc();
        Inventory platform = PoliciesScaleBench.platform(containers, containers / 10, Math.max(1, containers / 100),
                NODES);
        HandOver collector = new HandOver();
        CountingEnforcer enforcer = new CountingEnforcer();
        try (Agent agent = new Agent(config(), collector, enforcer)) {
            agent.start();
            double first = collector.reconcile(platform, enforcer);
            checkReconciled(agent, 1);
            int localContainers = enforcer.changes;
            long localPeers = enforcer.peersAdded;
            double retained = (usedHeapAfterGc() - heapBefore) / 1048576.0;
            // Container containers/2 is on node0 (container i is on node i mod 10): a change this node applies.
            double oneChanged = collector.reconcile(PoliciesScaleBench.moveOne(platform, containers / 2), enforcer);
            checkReconciled(agent, 2);
            return new Round(first, oneChanged, retained, localContainers, localPeers,
                    enforcer.changes - localContainers);
        }
    }

    private static AgentConfig config() throws Exception {
        return AgentConfig.load(Optional.empty(), Map.of(), Map.of(Setting.NODE, NODE,
                Setting.API_ADDRESS, "127.0.0.1:0", Setting.POLL_INTERVAL, "20ms"));
    }

    /** Fails unless the agent counts {@code expectedOk} successful reconciles. */
    private static void checkReconciled(Agent agent, int expectedOk) {
        String scrape = agent.metrics().scrape();
        double ok = metric(scrape, "bastion_reconcile_total{result=\"changed\"}");
        if (ok != expectedOk) {
            throw new IllegalStateException("expected " + expectedOk + " successful reconciles, the agent reports "
                    + ok + ":\n" + scrape);
        }
    }

    private static double metric(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .orElseThrow(() -> new IllegalStateException("no " + name + " in the agent's metrics"));
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Hands one inventory to the agent's poller and returns once the agent polled again: polls run one after
     * another on one thread, so the reconcile of that inventory has then finished, metrics included.
     */
    private static final class HandOver implements Collector {
        private final AtomicReference<Inventory> next = new AtomicReference<>();
        private final Semaphore reconciled = new Semaphore(0);
        private volatile long handedOverAt;
        /** Confined to the poller thread. */
        private boolean handedOver;

        @Override
        public Optional<Inventory> poll() {
            Inventory inventory = next.getAndSet(null);
            if (inventory != null) {
                handedOver = true;
                handedOverAt = System.nanoTime();
                return Optional.of(inventory);
            }
            if (handedOver) {
                handedOver = false;
                reconciled.release();
            }
            return Optional.empty();
        }

        /** Milliseconds from handing {@code inventory} over to {@code enforcer} being given its changes. */
        double reconcile(Inventory inventory, CountingEnforcer enforcer) throws InterruptedException {
            next.set(inventory);
            if (!reconciled.tryAcquire(RECONCILE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the agent did not reconcile within " + RECONCILE_TIMEOUT);
            }
            return (enforcer.calledAt - handedOverAt) / 1e6;
        }
    }

    /** Counts what the agent asks this node to apply; enforces nothing. */
    private static final class CountingEnforcer implements Enforcer {
        private volatile int changes;
        private volatile long peersAdded;
        private volatile long calledAt;

        @Override
        public void apply(List<ContainerChange> list, PolicyView next) {
            calledAt = System.nanoTime();
            changes += list.size();
            peersAdded += list.stream().mapToLong(c -> c.peersAdded().size()).sum();
        }
    }
}
