package dev.bastion.agent.suricata;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * Suricata dropped a packet (the first drop of a flow). {@code reason} is Suricata's: "rules" when a signature
 * did it ({@code signatureId} then names it), or an engine reason such as "stream error" or "flow drop".
 */
public record EveDrop(Instant timestamp, long flowId, EveTuple tuple, String reason, OptionalLong signatureId)
        implements EveEvent {
}
