package dev.bastion.chain.engine;

import dev.bastion.chain.spi.Alert;
import dev.bastion.chain.spi.FlowKey;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Alerts raised while one packet goes through its chain, held until the chain's verdict is known so that
 * each alert carries the action taken. The list is reused from packet to packet.
 */
final class PendingAlerts {
    private record Raised(String chain, String function, Severity severity, String message, FlowKey flow) {
    }

    private final List<Raised> raised = new ArrayList<>();

    void add(String chain, String function, Severity severity, String message, FlowKey flow) {
        raised.add(new Raised(chain, function, severity, message, flow));
    }

    boolean isEmpty() {
        return raised.isEmpty();
    }

    void publish(Verdict action, Clock clock, AlertSink sink) {
        try {
            for (Raised r : raised) {
                sink.publish(new Alert(clock.instant(), r.chain(), r.function(), r.severity(), r.message(), r.flow(),
                        action));
            }
        } finally {
            raised.clear(); // a failing sink must not see the same alerts again with the next packet
        }
    }
}
