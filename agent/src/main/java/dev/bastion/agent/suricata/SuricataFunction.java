package dev.bastion.agent.suricata;

import dev.bastion.chain.spi.ExternalInspection;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;

/**
 * The {@code suricata} function of a chain: packets the chain's Java functions passed go through the chain's
 * Suricata, inline on an external port of the bridge. Suricata's drops are drops; what it lets through goes on to
 * its destination. While Suricata is down the function throws, so the chain's failure mode decides.
 */
final class SuricataFunction implements SecurityFunction, ExternalInspection {
    /** Thrown per packet while Suricata is down: no stack trace to fill, nothing allocated. */
    private static final IllegalStateException DOWN = new IllegalStateException("Suricata is not running") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final SuricataPorts ports;
    private final SuricataPort port;
    private boolean closed;

    SuricataFunction(SuricataPorts ports, SuricataPort port) {
        this.ports = ports;
        this.port = port;
    }

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        if (!port.isUp()) {
            throw DOWN;
        }
        return Verdict.PASS;
    }

    @Override
    public String port() {
        return port.name();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ports.release(port);
        }
    }
}
