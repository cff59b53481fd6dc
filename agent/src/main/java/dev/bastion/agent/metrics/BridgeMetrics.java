package dev.bastion.agent.metrics;

import dev.bastion.agent.metrics.MetricsRegistry.Sample;
import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.BridgeCounters.Counter;
import dev.bastion.bridge.xsk.XskStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The AF_XDP bridge on /metrics: what it did with frames, and what its sockets' rings lost in the kernel. */
public final class BridgeMetrics {
    private BridgeMetrics() {
    }

    public static void register(MetricsRegistry registry, Bridge bridge) {
        registry.collect("bastion_bridge_frames_total", "counter",
                "Frames the bridge received, sent and dropped, by counter (rx, tx, verdict_*, no_route, external_* ...).",
                List.of("counter"), () -> bridge.counters().snapshot().entrySet().stream()
                        .map(e -> new Sample(List.of(e.getKey().name().toLowerCase(Locale.ROOT)), e.getValue()))
                        .toList());
        registry.collect("bastion_bridge_ring_drops_total", "counter",
                "Frames the kernel dropped at the bridge's sockets before the bridge saw them, by cause.",
                List.of("cause"), () -> {
                    XskStatistics s = bridge.kernelStatistics();
                    return Map.of("rx_dropped", s.rxDropped(), "rx_ring_full", s.rxRingFull(), "fill_ring_empty",
                                    s.fillRingEmpty(), "rx_invalid", s.rxInvalidDescriptors(), "tx_invalid",
                                    s.txInvalidDescriptors()).entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> new Sample(List.of(e.getKey()), e.getValue())).toList();
                });
    }
}
