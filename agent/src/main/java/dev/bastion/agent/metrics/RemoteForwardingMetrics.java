package dev.bastion.agent.metrics;

import dev.bastion.agent.enforce.RemoteForwarding;
import dev.bastion.agent.metrics.MetricsRegistry.Sample;
import java.util.List;

/** Forwarding to other nodes' containers on /metrics: how many are reached directly, and which nodes are not yet. */
public final class RemoteForwardingMetrics {
    private RemoteForwardingMetrics() {
    }

    public static void register(MetricsRegistry registry, RemoteForwarding remotes) {
        registry.collect("bastion_remote_containers", "gauge",
                "Containers of other nodes with a forwarding entry: reached through the external interface directly.",
                List.of(), () -> List.of(new Sample(List.of(), remotes.entries())));
        registry.collect("bastion_remote_nodes_unresolved", "gauge",
                "1 for each other node whose MAC is not known yet (or which has no underlay address): its containers have no forwarding entry.",
                List.of("node"), () -> remotes.unresolvedNodes().stream().sorted()
                        .map(node -> new Sample(List.of(node), 1)).toList());
    }
}
