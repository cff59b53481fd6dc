package dev.bastion.agent.enforce;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.events.EventLog;
import dev.bastion.agent.events.FlowRecord;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.maps.FlowEvent;
import dev.bastion.datapath.maps.FlowEvents;
import dev.bastion.datapath.maps.Verdict;
import dev.bastion.policies.model.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the datapath's flow events (the first packet of each flow) into the agent's flow log, naming the
 * containers at both ends. Runs on its own thread: the ring buffer must be polled and closed by one thread.
 */
public final class FlowEventPump implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FlowEventPump.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Datapath datapath;
    private final Supplier<PolicyView> view;
    private final EventLog<FlowRecord> flows;
    private final Thread thread;
    private volatile boolean running = true;
    /** Containers by IP for the view last seen; rebuilt when the view in force changes. */
    private PolicyView indexed;
    private Map<Integer, String> byIp = Map.of();

    public FlowEventPump(Datapath datapath, Supplier<PolicyView> view, EventLog<FlowRecord> flows) {
        this.datapath = datapath;
        this.view = view;
        this.flows = flows;
        this.thread = new Thread(this::run, "bastion-flow-events");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (FlowEvents events = new FlowEvents(datapath.map(FlowEvents.NAME), e -> flows.append(record(e)))) {
            while (running) {
                events.poll(POLL);
            }
        } catch (RuntimeException e) {
            log.error("flow events stopped: {}", e.toString());
        }
    }

    FlowRecord record(FlowEvent event) {
        long ageNs = System.nanoTime() - event.timestampNs(); // both CLOCK_MONOTONIC
        PolicyView current = view.get();
        return new FlowRecord(Instant.now().minusNanos(Math.max(0, ageNs)),
                containerAt(current, event.flow().saddr()), containerAt(current, event.flow().daddr()),
                Addresses.ipText(event.flow().saddr()), Addresses.ipText(event.flow().daddr()),
                Protocol.text(event.flow().protocol()), event.flow().sport(), event.flow().dport(),
                event.verdict() != Verdict.DROP, event.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    private String containerAt(PolicyView current, int ip) {
        if (current != indexed) {
            Map<Integer, String> index = new HashMap<>();
            if (current != null) {
                current.inventory().containers().forEach(c -> c.ip().ifPresent(a -> index.put(a.bits(), c.name())));
            }
            byIp = index;
            indexed = current;
        }
        return byIp.get(ip);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(POLL.toMillis() * 5);
    }
}
