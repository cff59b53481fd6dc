package dev.bastion.agent.events;

import java.time.Instant;

/**
 * A new flow the datapath saw (its first packet): who talked to whom, and what the datapath did about it.
 * Containers are null when an address belongs to no known container.
 */
public record FlowRecord(
        Instant at,
        String srcContainer,
        String dstContainer,
        String srcIp,
        String dstIp,
        String protocol,
        int srcPort,
        int dstPort,
        boolean allowed,
        String reason) {
}
