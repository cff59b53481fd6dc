package dev.bastion.agent.lab;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The names the lab gives to what it creates. Namespaces are global, so they carry an optional prefix that
 * keeps concurrent runs (tests, the demo) apart; interface names live inside those namespaces and are
 * short deterministic hashes, always within Linux's 15 characters.
 */
public record LabNames(Inventory inventory, String prefix) {

    /** The names a user sees: container namespaces are named exactly after their containers. */
    public static LabNames of(Inventory inventory) {
        return new LabNames(inventory, "");
    }

    /** The namespace of a lab node: the host of its bridges and of its host-network containers. */
    public String nodeNamespace(String node) {
        return prefix + inventory.name() + "-" + node;
    }

    public String nodeNamespace(HostNode node) {
        return nodeNamespace(node.name());
    }

    /** The namespace that holds the underlay bridge joining the nodes (multi-node labs only). */
    public String underlayNamespace() {
        return prefix + inventory.name() + "-underlay";
    }

    /** Where a container's processes run: its own namespace, or its node's for a host-network container. */
    public String containerNamespace(Container container) {
        return container.hostNetwork() ? nodeNamespace(container.node()) : prefix + container.name();
    }

    /** Docker names its bridges br-&lt;id&gt;. */
    public String bridge(ContainerNetwork network) {
        return "br-" + hash(network.name());
    }

    /** Docker names host-side veths veth&lt;hash&gt;. */
    public String hostVeth(Container container) {
        return "veth" + hash(container.name()).substring(0, 7);
    }

    public static String containerInterface() {
        return "eth0";
    }

    /** The node's end of its underlay link. */
    public static String nodeUplink() {
        return "underlay0";
    }

    /** The underlay bridge's end of a node's link. */
    public String underlayPort(HostNode node) {
        return "ul-" + hash(node.name());
    }

    public static String underlayBridge() {
        return "underlay";
    }

    private static String hash(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
