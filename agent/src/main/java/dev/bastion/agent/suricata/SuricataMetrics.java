package dev.bastion.agent.suricata;

import dev.bastion.agent.metrics.MetricsRegistry;
import dev.bastion.agent.metrics.MetricsRegistry.Sample;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Publishes the supervised Suricatas on /metrics, read at scrape time: whether each is up, its state, how
 * often it was relaunched, and the IPS counters of its last stats record (they restart from zero with
 * Suricata, which Prometheus treats as a counter reset).
 */
public final class SuricataMetrics {

    private SuricataMetrics() {
    }

    public static void register(MetricsRegistry registry, Supplier<? extends Collection<SuricataSupervisor>> supervisors) {
        registry.collect("bastion_suricata_up", "gauge", "1 while Suricata inspects the port's traffic, 0 while it is down.",
                List.of("instance"), () -> each(supervisors, s -> List.of(sample(s, s.isUp() ? 1 : 0))));
        registry.collect("bastion_suricata_state", "gauge", "1 for the supervised Suricata's current state.",
                List.of("instance", "state"), () -> each(supervisors, s -> {
                    List<Sample> states = new ArrayList<>();
                    for (SuricataState state : SuricataState.values()) {
                        states.add(new Sample(List.of(s.config().instance(), state.name().toLowerCase(Locale.ROOT)),
                                s.state() == state ? 1 : 0));
                    }
                    return states;
                }));
        registry.collect("bastion_suricata_restarts_total", "counter", "Relaunches after Suricata exited or failed to start.",
                List.of("instance"), () -> each(supervisors, s -> List.of(sample(s, s.restarts()))));
        registry.collect("bastion_suricata_packets_total", "counter",
                "Packets Suricata let through (accepted) or dropped (blocked), from its last stats record.",
                List.of("instance", "verdict"), () -> each(supervisors, s -> s.lastStats().map(stats -> List.of(
                        new Sample(List.of(s.config().instance(), "accepted"), stats.counter("ips.accepted")),
                        new Sample(List.of(s.config().instance(), "blocked"), stats.counter("ips.blocked"))))
                        .orElse(List.of())));
    }

    private static Sample sample(SuricataSupervisor s, double value) {
        return new Sample(List.of(s.config().instance()), value);
    }

    private static Collection<Sample> each(Supplier<? extends Collection<SuricataSupervisor>> supervisors,
                                           Function<SuricataSupervisor, List<Sample>> samples) {
        List<Sample> out = new ArrayList<>();
        supervisors.get().forEach(s -> out.addAll(samples.apply(s)));
        return out;
    }
}
