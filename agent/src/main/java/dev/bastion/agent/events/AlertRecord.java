package dev.bastion.agent.events;

import java.time.Instant;

/** An alert raised by a security function (Java or Suricata) on a steered flow. */
public record AlertRecord(
        Instant at,
        String chain,
        String function,
        String severity,
        String message,
        String srcIp,
        String dstIp,
        String protocol,
        int srcPort,
        int dstPort,
        String action) {
}
