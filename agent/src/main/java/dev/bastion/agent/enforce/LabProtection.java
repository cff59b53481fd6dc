package dev.bastion.agent.enforce;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.Endpoint;
import dev.bastion.policies.dependency.PartitionDiff;
import dev.bastion.policies.model.HostNode;
import java.util.HashMap;
import java.util.Map;

/** A lab protected as the agent's first poll protects it: every container, its partition, its programs. */
public final class LabProtection {
    private LabProtection() {
    }

    /** Protects every container of a one-node {@code lab} with its inventory's policies; returns the enforcer that did it. */
    public static DatapathEnforcer protect(Lab lab, Datapath datapath, DatapathEnforcer.Mode mode) {
        DatapathEnforcer enforcer = new DatapathEnforcer(datapath, mode, inventory -> new LabInterfaces(lab.names()));
        PolicyView view = PolicyView.of(lab.inventory());
        NetworkNamespace.run(lab.names().nodeNamespace(lab.inventory().nodes().get(0)),
                () -> enforcer.apply(PartitionDiff.between(Map.of(), view.partitions()), view));
        return enforcer;
    }

    /**
     * Protects the containers of one node of a multi-node lab with {@code datapath}, and joins it to the other nodes
     * as the datapath's two-node tests do: the external program on the node's uplink, and a REMOTE forwarding entry
     * (the other node's uplink MAC as next hop) for every container of the other nodes. In XDP mode the underlay's
     * port facing the uplink gets an XDP program too: frames redirected out of a veth arrive only then.
     */
    public static DatapathEnforcer protectNode(Lab lab, Datapath datapath, DatapathEnforcer.Mode mode, HostNode node) {
        DatapathEnforcer enforcer = new DatapathEnforcer(datapath, mode, inventory -> new LabInterfaces(lab.names()));
        PolicyView view = PolicyView.of(lab.inventory());
        LabNames names = lab.names();
        String uplink = LabNames.nodeUplink();
        Map<String, Long> uplinkMacs = new HashMap<>();
        lab.inventory().nodes().forEach(n -> uplinkMacs.put(n.name(),
                NetworkNamespace.call(names.nodeNamespace(n), () -> Interfaces.mac(uplink))));
        NetworkNamespace.run(names.nodeNamespace(node), () -> {
            enforcer.apply(PartitionDiff.between(Map.of(), view.partitions()).stream()
                    .filter(c -> c.selfAfter().map(e -> e.node().equals(node.name())).orElse(false)).toList(), view);
            int uplinkIndex = Interfaces.index(uplink);
            datapath.attach(mode == DatapathEnforcer.Mode.XDP ? Entry.EXTERNAL_XDP : Entry.EXTERNAL_TC, uplinkIndex,
                    "uplink");
            Map<Integer, Forward> remotes = new HashMap<>();
            for (ContainerPartition partition : view.partitions().values()) {
                Endpoint other = partition.self();
                if (!other.node().equals(node.name())) {
                    remotes.put(other.ip().bits(), Forward.remote(uplinkIndex, other.mac().orElseThrow().bits(),
                            uplinkMacs.get(other.node()), uplinkMacs.get(node.name())));
                }
            }
            datapath.forwarding().putAll(remotes);
        });
        if (mode == DatapathEnforcer.Mode.XDP) {
            NetworkNamespace.run(names.underlayNamespace(), () -> datapath.attach(Entry.CONTAINER_PASS,
                    Interfaces.index(names.underlayPort(node)), "underlay-pass"));
        }
        return enforcer;
    }
}
