package dev.bastion.agent.lab;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network-namespace testbed wired the way Docker's default bridge wires containers: per node a namespace
 * holding one Linux bridge per container network (with the gateway address), per container a namespace with
 * eth0 (its IP, MAC and default route) whose veth peer sits on the bridge. Nodes are joined by an underlay
 * bridge in a namespace of its own and route each other's container subnets.
 * Everything is created inside namespaces the lab owns, so deleting those namespaces removes all of it.
 */
public final class Lab {
    private static final Logger log = LoggerFactory.getLogger(Lab.class);

    private final Inventory inventory;
    private final LabNames names;
    private final Shell shell;

    public Lab(Inventory inventory, LabNames names, Shell shell) {
        this.inventory = inventory;
        this.names = names;
        this.shell = shell;
        requireDistinct(inventory.containers().stream().filter(c -> !c.hostNetwork()).map(names::hostVeth).toList(), "veth");
        requireDistinct(inventory.networks().stream().map(names::bridge).toList(), "bridge");
    }

    public Inventory inventory() {
        return inventory;
    }

    public LabNames names() {
        return names;
    }

    /** Brings the lab up. Harmless if it is up already; a half-built lab is removed and rebuilt. */
    public void up() {
        LabStatus.State state = status().state();
        if (state == LabStatus.State.UP) {
            log.info("lab {} is already up", inventory.name());
            return;
        }
        if (state == LabStatus.State.PARTIAL) {
            log.warn("lab {} is partly up (an earlier run stopped halfway): removing it before building", inventory.name());
            down();
        }
        try {
            build();
        } catch (RuntimeException e) {
            log.error("building lab {} failed; removing what was made", inventory.name());
            down();
            throw e;
        }
        log.info("lab {} is up: {} node(s), {} network(s), {} container(s)", inventory.name(),
                inventory.nodes().size(), inventory.networks().size(), inventory.containers().size());
    }

    /** Removes every namespace the lab may have made, whatever state it is in. */
    public void down() {
        Set<String> existing = existingNamespaces();
        for (String ns : namespaces()) {
            if (existing.contains(ns)) {
                shell.run(List.of("ip", "netns", "del", ns));
            }
        }
        log.info("lab {} is down", inventory.name());
    }

    public LabStatus status() {
        Set<String> existing = existingNamespaces();
        Map<String, Boolean> present = new LinkedHashMap<>();
        for (String ns : namespaces()) {
            present.put(ns, existing.contains(ns));
        }
        return new LabStatus(inventory.name(), present);
    }

    /** Whether {@code from} gets an ICMP echo reply from {@code address} within a second. */
    public boolean reaches(Container from, String address) {
        return shell.succeeds(List.of("ip", "netns", "exec", names.containerNamespace(from),
                "ping", "-c", "1", "-W", "1", "-q", address));
    }

    /**
     * The command line that runs {@code argv} as a process of {@code container}. A host-network container runs in
     * its node's network namespace but, like a real container, in a mount namespace of its own: that is what
     * tells it apart from the node's own tools (see {@link #onNode}).
     */
    public List<String> inContainer(Container container, List<String> argv) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", names.containerNamespace(container)));
        if (container.hostNetwork()) {
            out.addAll(List.of("unshare", "--mount", "--propagation", "private", "--"));
        }
        out.addAll(argv);
        return out;
    }

    /**
     * The command line that runs {@code argv} as the node's own tooling: in the node's network namespace and the
     * host's mount namespace ({@code ip netns exec} would give it a mount namespace of its own).
     */
    public List<String> onNode(String node, List<String> argv) {
        List<String> out = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + names.nodeNamespace(node), "--"));
        out.addAll(argv);
        return out;
    }

    /** Every namespace the lab owns, containers first so that their veths go before the bridges. */
    public List<String> namespaces() {
        Set<String> out = new LinkedHashSet<>();
        inventory.containers().stream().filter(c -> !c.hostNetwork()).forEach(c -> out.add(names.containerNamespace(c)));
        inventory.nodes().forEach(n -> out.add(names.nodeNamespace(n)));
        if (inventory.nodes().size() > 1) {
            out.add(names.underlayNamespace());
        }
        return List.copyOf(out);
    }

    private void build() {
        for (HostNode node : inventory.nodes()) {
            String ns = names.nodeNamespace(node);
            addNamespace(ns);
            ip(ns, "link", "set", "lo", "up");
            sysctl(ns, "net.ipv4.ip_forward=1");
            for (ContainerNetwork network : inventory.networks()) {
                if (network.node().equals(node.name())) {
                    addBridge(ns, network);
                }
            }
        }
        for (Container container : inventory.containers()) {
            if (!container.hostNetwork()) {
                addContainer(container);
            }
        }
        if (inventory.nodes().size() > 1) {
            addUnderlay();
        }
    }

    private void addBridge(String ns, ContainerNetwork network) {
        String bridge = names.bridge(network);
        ip(ns, "link", "add", bridge, "type", "bridge");
        ip(ns, "addr", "add", network.gateway() + "/" + network.subnet().length(), "dev", bridge);
        ip(ns, "link", "set", bridge, "up");
    }

    private void addContainer(Container container) {
        ContainerNetwork network = inventory.network(container.network().orElseThrow()).orElseThrow();
        String nodeNs = names.nodeNamespace(container.node());
        String ns = names.containerNamespace(container);
        String eth = LabNames.containerInterface();
        String veth = names.hostVeth(container);
        addNamespace(ns);
        ip(ns, "link", "set", "lo", "up");
        // Docker turns IPv6 off in containers on networks without IPv6.
        sysctl(ns, "net.ipv6.conf.all.disable_ipv6=1");
        ip(nodeNs, "link", "add", veth, "type", "veth", "peer", "name", eth, "netns", ns);
        ip(nodeNs, "link", "set", veth, "master", names.bridge(network), "up");
        ip(ns, "link", "set", eth, "address", container.mac().orElseThrow().toString());
        ip(ns, "addr", "add", container.ip().orElseThrow() + "/" + network.subnet().length(), "dev", eth);
        ip(ns, "link", "set", eth, "up");
        ip(ns, "route", "add", "default", "via", network.gateway().toString());
    }

    private void addUnderlay() {
        String fabric = names.underlayNamespace();
        String bridge = LabNames.underlayBridge();
        int length = inventory.underlay().orElseThrow().length();
        addNamespace(fabric);
        ip(fabric, "link", "add", bridge, "type", "bridge");
        ip(fabric, "link", "set", bridge, "up");
        for (HostNode node : inventory.nodes()) {
            String ns = names.nodeNamespace(node);
            String port = names.underlayPort(node);
            ip(fabric, "link", "add", port, "type", "veth", "peer", "name", LabNames.nodeUplink(), "netns", ns);
            ip(fabric, "link", "set", port, "master", bridge, "up");
            ip(ns, "addr", "add", node.underlayIp().orElseThrow() + "/" + length, "dev", LabNames.nodeUplink());
            ip(ns, "link", "set", LabNames.nodeUplink(), "up");
            for (ContainerNetwork remote : inventory.networks()) {
                if (!remote.node().equals(node.name())) {
                    HostNode via = inventory.nodes().stream().filter(n -> n.name().equals(remote.node())).findFirst().orElseThrow();
                    ip(ns, "route", "add", remote.subnet().toString(), "via", via.underlayIp().orElseThrow().toString());
                }
            }
        }
    }

    private void addNamespace(String ns) {
        shell.run(List.of("ip", "netns", "add", ns));
    }

    private void ip(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        shell.run(argv);
    }

    private void sysctl(String ns, String setting) {
        shell.run(List.of("ip", "netns", "exec", ns, "sysctl", "-qw", setting));
    }

    private Set<String> existingNamespaces() {
        Set<String> out = new HashSet<>();
        for (String line : shell.run(List.of("ip", "netns", "list")).split("\n")) {
            if (!line.isBlank()) {
                out.add(line.trim().split("\\s+")[0]);
            }
        }
        return out;
    }

    private static void requireDistinct(List<String> interfaceNames, String what) {
        Set<String> seen = new HashSet<>();
        for (String name : interfaceNames) {
            if (!seen.add(name)) {
                throw new LabException("two " + what + " interfaces would both be named " + name + "; rename one of their owners");
            }
        }
    }
}
