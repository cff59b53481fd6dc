package dev.bastion.agent.suricata;

import dev.bastion.datapath.maps.DpiPortMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Suricata ports, one per distinct {@link SuricataPortSpec}, shared by every function instance created
 * for it: a chain reloaded unchanged keeps its Suricata, a chain whose rules changed gets a new one while flows
 * that started under the old rules finish there. A port closes when its last function instance does.
 *
 * <p>Function instances are closed on the bridge's thread, which must never wait: releases and the closing of
 * ports happen on a thread of their own.
 */
public final class SuricataPorts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SuricataPorts.class);
    /** Slots of the datapath's dpi_xsks map; the last two are the bridge's uplink and tc mode's steering port. */
    static final int SLOTS = DpiPortMap.SLOTS - 2;

    private final SuricataNode node;
    private final Map<SuricataPortSpec, SuricataPort> bySpec = new HashMap<>();
    private final Map<SuricataPort, Integer> references = new HashMap<>();
    private final BitSet slots = new BitSet(SLOTS);
    private final ExecutorService closer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "suricata-ports");
        t.setDaemon(true);
        return t;
    });
    private boolean closed;

    public SuricataPorts(SuricataNode node) {
        this.node = node;
    }

    /** The running port for {@code spec}, opened now if there is none. */
    synchronized SuricataPort acquire(SuricataPortSpec spec) throws SuricataException, IOException {
        if (closed) {
            throw new IllegalStateException("Suricata ports closed");
        }
        SuricataPort port = bySpec.get(spec);
        if (port == null) {
            int slot = slots.nextClearBit(0);
            if (slot >= SLOTS) {
                throw new IllegalStateException("every one of the " + SLOTS + " Suricata ports is in use");
            }
            port = SuricataPort.open(slot, spec, node);
            slots.set(slot);
            bySpec.put(spec, port);
        }
        references.merge(port, 1, Integer::sum);
        return port;
    }

    /** One function instance less on {@code port}; returns at once. */
    void release(SuricataPort port) {
        if (!closer.isShutdown()) {
            closer.execute(() -> releaseNow(port));
        }
    }

    private synchronized void releaseNow(SuricataPort port) {
        Integer left = references.computeIfPresent(port, (p, n) -> n == 1 ? null : n - 1);
        if (left != null || closed || bySpec.get(port.spec()) != port) {
            return;
        }
        bySpec.remove(port.spec());
        closePort(port);
    }

    private void closePort(SuricataPort port) {
        try {
            port.close();
        } catch (IOException | RuntimeException e) {
            log.warn("closing Suricata port {}: {}", port.name(), e.toString());
        }
        slots.clear(port.external().slot());
    }

    /** The supervisors of the ports open now (for metrics and the API). */
    public synchronized List<SuricataSupervisor> supervisors() {
        return bySpec.values().stream().map(SuricataPort::supervisor).toList();
    }

    Path ruleDirectory() {
        return node.ruleDirectory();
    }

    /** Stops every Suricata and removes its port, whoever still refers to it. */
    @Override
    public void close() {
        closer.shutdown();
        try {
            closer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<SuricataPort> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(bySpec.values());
            bySpec.clear();
            references.clear();
        }
        open.forEach(this::closePort);
    }
}
