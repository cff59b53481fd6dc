package dev.bastion.agent.suricata;

import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.ExternalPort;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.Ipv6;
import dev.bastion.datapath.net.Links;
import dev.bastion.datapath.net.Offload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain's Suricata on this node, and the wiring that puts it inline on the bridge: two veth pairs the agent
 * creates, {@code out}-{@code a} and {@code b}-{@code back}. The bridge sends the chain's frames on {@code out};
 * Suricata captures them on {@code a}, copies what it accepts to {@code b}; they arrive on {@code back}, where the
 * datapath's {@code dpi_return} program hands them to the bridge, which forwards them to their destination.
 */
final class SuricataPort implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SuricataPort.class);
    /** AF_PACKET fanout groups are per network namespace: each port takes two from here on. */
    private static final int FIRST_CLUSTER_ID = 7300;
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(5);
    private static final List<Offload> OFFLOADS = List.of(Offload.TX_CHECKSUM, Offload.TSO, Offload.GSO, Offload.GRO);

    private final ExternalPort external;
    private final SuricataPortSpec spec;
    private final SuricataSupervisor supervisor;
    private final SuricataNode node;

    private SuricataPort(ExternalPort external, SuricataPortSpec spec, SuricataSupervisor supervisor, SuricataNode node) {
        this.external = external;
        this.spec = spec;
        this.supervisor = supervisor;
        this.node = node;
    }

    /**
     * Wires the port in the node's network namespace and starts Suricata on it. Returns once Suricata is
     * launched; until it is running the port is down.
     *
     * @throws SuricataException if Suricata rejects the rules (nothing is left behind then)
     */
    static SuricataPort open(int slot, SuricataPortSpec spec, SuricataNode node) throws SuricataException, IOException {
        String name = "bsr" + slot;
        String instance = slot + "-" + spec.chain();
        instance = instance.substring(0, Math.min(instance.length(), 32));
        SuricataConfig config = new SuricataConfig(instance, name + "a", name + "b", node.ruleDirectory(),
                spec.ruleFiles(), spec.eventRules(), node.runtimeDirectory(), FIRST_CLUSTER_ID + 2 * slot, STATS_INTERVAL);
        ExternalPort external = null;
        SuricataSupervisor supervisor = null;
        boolean opened = false;
        try {
            external = node.inNamespace(() -> wire(name, slot, node));
            supervisor = new SuricataSupervisor(config, node.command(),
                    new SuricataVerdicts(spec.chain(), spec.blockFlow(), node.datapath().overrides(), node.alerts()),
                    node.timings());
            supervisor.start();
            opened = true;
            log.info("chain {}: Suricata port {} (instance {}), rules {} {}", spec.chain(), name, instance,
                    spec.ruleFiles(), spec.eventRules());
            return new SuricataPort(external, spec, supervisor, node);
        } finally {
            if (!opened) {
                if (supervisor != null) {
                    supervisor.close();
                }
                unwire(name, slot, external != null, node);
            }
        }
    }

    /**
     * Creates the interfaces (replacing any an earlier agent left), attaches {@code dpi_return} to {@code back} and
     * opens the bridge's sockets.
     */
    private static ExternalPort wire(String name, int slot, SuricataNode node) {
        String out = name + "o";
        String back = name + "r";
        removeInterfaces(name);
        Links.createVethPair(out, name + "a");
        Links.createVethPair(name + "b", back);
        for (String end : List.of(out, name + "a", name + "b", back)) {
            Ipv6.disable(end); // no router or neighbour solicitations of the host's own on these wires
            for (Offload offload : OFFLOADS) {
                offload.set(end, false); // Suricata copies frames as captured: whole and with final checksums
            }
            Links.setUp(end);
        }
        ExternalPort external = new ExternalPort(name, slot, Interfaces.index(out), Interfaces.index(back));
        node.datapath().detach(linkName(slot)); // a link pinned for an interface an earlier agent created
        node.datapath().attach(Entry.DPI_RETURN, external.backIfindex(), linkName(slot));
        node.bridge().addExternal(external);
        return external;
    }

    private static void unwire(String name, int slot, boolean bridged, SuricataNode node) {
        if (bridged) {
            node.bridge().removeExternal(name);
        }
        node.datapath().detach(linkName(slot));
        node.inNamespace(() -> {
            removeInterfaces(name);
            return null;
        });
    }

    private static String linkName(int slot) {
        return "suricata-" + slot;
    }

    /** Deleting one end of a veth pair deletes both. */
    private static void removeInterfaces(String name) {
        Links.delete(name + "o");
        Links.delete(name + "r");
    }

    /** The bridge port's name: what the chain's packets detour through. */
    String name() {
        return external.name();
    }

    ExternalPort external() {
        return external;
    }

    SuricataPortSpec spec() {
        return spec;
    }

    SuricataSupervisor supervisor() {
        return supervisor;
    }

    /** Whether Suricata inspects traffic now. */
    boolean isUp() {
        return supervisor.isUp();
    }

    /**
     * Stops Suricata, closes the bridge's sockets, detaches the program, deletes the interfaces and the instance's
     * directory (configuration, socket, logs).
     */
    @Override
    public void close() throws IOException {
        try {
            supervisor.close();
        } finally {
            unwire(external.name(), external.slot(), true, node);
            try (Stream<Path> files = Files.walk(supervisor.config().directory())) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
            log.info("chain {}: Suricata port {} removed", spec.chain(), external.name());
        }
    }
}
