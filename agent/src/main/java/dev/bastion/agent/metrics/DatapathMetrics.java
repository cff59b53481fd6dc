package dev.bastion.agent.metrics;

import dev.bastion.agent.metrics.MetricsRegistry.Sample;
import dev.bastion.datapath.maps.CounterMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The datapath's per-container, per-reason counters on /metrics: what it forwarded, steered and dropped, and why.
 * Read from the per-CPU counter map at scrape time; reasons a container never hit are left out.
 */
public final class DatapathMetrics {
    private DatapathMetrics() {
    }

    /** {@code protectedIds}: the containers protected on this node, by name, with their datapath ids. */
    public static void register(MetricsRegistry registry, CounterMap counters, Supplier<Map<String, Integer>> protectedIds) {
        registry.collect("bastion_datapath_packets_total", "counter",
                "Packets the datapath handled per container and reason (forwarded, steered, or why it dropped them).",
                List.of("container", "reason"), () -> {
                    List<Sample> samples = new ArrayList<>();
                    protectedIds.get().forEach((container, id) -> counters.read(id).forEach((reason, counter) -> {
                        if (counter.packets() > 0) {
                            samples.add(new Sample(List.of(container, reason.name().toLowerCase(Locale.ROOT)),
                                    counter.packets()));
                        }
                    }));
                    return samples;
                });
    }
}
