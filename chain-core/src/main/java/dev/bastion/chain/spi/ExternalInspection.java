package dev.bastion.chain.spi;

/**
 * A security function whose inspection happens outside the JVM, in an engine that sits inline on a port of the
 * bridge (Suricata). When such a function passes a packet, and so did every function before it, the packet is
 * not forwarded to its destination but sent through {@link #port()}; what the external engine lets through comes
 * back on the port and goes on to the destination. The external engine's drops are drops. It must be the last
 * function of its chain.
 *
 * <p>{@link SecurityFunction#inspect} decides whether the external engine can take the packet now: it returns
 * PASS when it can, and throws while the engine is down, so the chain's failure mode applies (fail-closed drops
 * the packet, fail-open forwards it without the external inspection).
 */
public interface ExternalInspection {

    /** The name of the bridge port the external engine listens on. */
    String port();
}
