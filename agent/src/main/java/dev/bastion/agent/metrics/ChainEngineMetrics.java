package dev.bastion.agent.metrics;

import dev.bastion.agent.metrics.MetricsRegistry.Sample;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.ChainMetrics;
import dev.bastion.chain.spi.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The chain engine's counters on /metrics: per chain (verdicts, flows, alerts, failures) and for the engine. */
public final class ChainEngineMetrics {
    private ChainEngineMetrics() {
    }

    public static void register(MetricsRegistry registry, ChainEngine engine) {
        registry.collect("bastion_chain_packets_total", "counter", "Packets a chain decided, by verdict.",
                List.of("chain", "verdict"), () -> {
                    List<Sample> samples = new ArrayList<>();
                    for (ChainMetrics chain : engine.chainMetrics()) {
                        for (Verdict verdict : Verdict.values()) {
                            samples.add(new Sample(List.of(chain.chain(), verdict.name().toLowerCase(Locale.ROOT)),
                                    chain.verdicts().get(verdict)));
                        }
                    }
                    return samples;
                });
        perChain(registry, engine, "bastion_chain_flows_total", "Flows a chain took.", ChainMetrics::flows);
        perChain(registry, engine, "bastion_chain_alerts_total", "Alerts a chain's functions raised.", ChainMetrics::alerts);
        perChain(registry, engine, "bastion_chain_failures_total",
                "Packets that got the chain's failure mode (a function threw, overran its budget, or is down).",
                ChainMetrics::failures);
        registry.collect("bastion_chain_engine_malformed_total", "counter",
                "Steered frames the engine could not parse (dropped).", List.of(),
                () -> List.of(new Sample(List.of(), engine.metrics().malformed())));
        registry.collect("bastion_chain_engine_active_flows", "gauge", "Flows in the engine's flow table.", List.of(),
                () -> List.of(new Sample(List.of(), engine.metrics().activeFlows())));
    }

    private static void perChain(MetricsRegistry registry, ChainEngine engine, String name, String help,
                                 Function<ChainMetrics, Long> value) {
        registry.collect(name, "counter", help, List.of("chain"),
                () -> engine.chainMetrics().stream().map(c -> new Sample(List.of(c.chain()), value.apply(c))).toList());
    }
}
