package dev.bastion.agent.suricata;

import java.time.Instant;
import java.util.Map;

/**
 * Suricata's periodic counters, flattened to dotted names as in its stats.log: "capture.kernel_packets",
 * "ips.accepted", "ips.blocked", "decoder.pkts", "flow.active" and so on.
 */
public record EveStats(Instant timestamp, long uptimeSeconds, Map<String, Long> counters) implements EveEvent {

    public EveStats {
        counters = Map.copyOf(counters);
    }

    /** The counter's value, 0 if Suricata did not report it. */
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
