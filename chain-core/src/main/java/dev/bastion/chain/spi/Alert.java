package dev.bastion.chain.spi;

import java.time.Instant;

/**
 * An alert raised by a function on a flow. {@code action} is the verdict the chain reached for the packet
 * that raised it, so operators see whether the alert was acted upon.
 */
public record Alert(Instant at, String chain, String function, Severity severity, String message, FlowKey flow,
                    Verdict action) {
}
