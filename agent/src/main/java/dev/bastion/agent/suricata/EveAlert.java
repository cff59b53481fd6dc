package dev.bastion.agent.suricata;

import java.time.Instant;

/**
 * A signature matched. Inline, {@link Action#BLOCKED} means Suricata dropped the packet (a {@code drop} rule);
 * {@link Action#ALLOWED} means it only reported it.
 */
public record EveAlert(Instant timestamp, long flowId, EveTuple tuple, Action action, long signatureId,
                       String signature, String category, int severity) implements EveEvent {

    public enum Action { ALLOWED, BLOCKED }
}
