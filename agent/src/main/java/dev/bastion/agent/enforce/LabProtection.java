package dev.bastion.agent.enforce;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.dependency.PartitionDiff;
import dev.bastion.policies.model.HostNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A lab protected as the agent's first poll protects it: every container, its partition, its programs. */
public final class LabProtection {
    private static final Duration RESOLUTION_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESOLUTION_RETRY = Duration.ofMillis(20);

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
     * as the agent does with the node's uplink as its external interface ({@link RemoteForwarding}); returns once
     * every other node's MAC is resolved and its containers' entries written. In XDP mode the underlay's port
     * facing the uplink gets an XDP program too: frames redirected out of a veth arrive only then.
     */
    public static DatapathEnforcer protectNode(Lab lab, Datapath datapath, DatapathEnforcer.Mode mode, HostNode node) {
        RemoteForwarding remotes = new RemoteForwarding(datapath, mode, node.name(), LabNames.nodeUplink());
        DatapathEnforcer enforcer = new DatapathEnforcer(datapath, mode, inventory -> new LabInterfaces(lab.names()),
                Optional.of(remotes));
        PolicyView view = PolicyView.of(lab.inventory());
        NetworkNamespace.run(lab.names().nodeNamespace(node), () -> enforcer.apply(PartitionDiff.between(Map.of(),
                view.partitions()).stream().filter(c -> c.selfAfter().map(e -> e.node().equals(node.name()))
                .orElse(false)).toList(), view));
        connect(lab, datapath, mode, node, remotes, view);
        return enforcer;
    }

    /**
     * Joins {@code node}, whose containers are protected with {@code datapath} already, to the lab's other nodes
     * for the peers of {@code view}, as the agent does with the node's uplink as its external interface; returns
     * once every other node is resolved. For a datapath protected without {@link #protectNode} (the benchmarks').
     */
    public static RemoteForwarding join(Lab lab, Datapath datapath, DatapathEnforcer.Mode mode, HostNode node,
                                        PolicyView view) {
        RemoteForwarding remotes = new RemoteForwarding(datapath, mode, node.name(), LabNames.nodeUplink());
        connect(lab, datapath, mode, node, remotes, view);
        return remotes;
    }

    /** Syncs {@code remotes} until every other node is resolved; in XDP mode also {@link #passUnderlay}. */
    private static void connect(Lab lab, Datapath datapath, DatapathEnforcer.Mode mode, HostNode node,
                                RemoteForwarding remotes, PolicyView view) {
        NetworkNamespace.run(lab.names().nodeNamespace(node), () -> awaitOtherNodes(remotes, view));
        if (mode == DatapathEnforcer.Mode.XDP) {
            passUnderlay(lab, datapath, node);
        }
    }

    /**
     * Attaches an XDP pass program (pinned with {@code datapath}'s links) to the underlay's port facing
     * {@code node}'s uplink: frames an XDP program redirects out of the uplink, a veth, arrive only then. A real
     * node's external interface is a NIC, which needs nothing of the kind.
     */
    public static void passUnderlay(Lab lab, Datapath datapath, HostNode node) {
        LabNames names = lab.names();
        NetworkNamespace.run(names.underlayNamespace(), () -> datapath.attach(Entry.CONTAINER_PASS,
                Interfaces.index(names.underlayPort(node)), "underlay-pass"));
    }

    /** Syncs {@code remotes} until the kernel has resolved every other node (it does so within milliseconds). */
    private static void awaitOtherNodes(RemoteForwarding remotes, PolicyView view) {
        long deadline = System.nanoTime() + RESOLUTION_TIMEOUT.toNanos();
        remotes.sync(view); // a no-op when the enforcer has just synced it
        while (!remotes.unresolvedNodes().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("lab nodes " + remotes.unresolvedNodes() + " not resolved within "
                        + RESOLUTION_TIMEOUT + " on " + LabNames.nodeUplink());
            }
            try {
                Thread.sleep(RESOLUTION_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while resolving lab nodes", e);
            }
            remotes.sync(view);
        }
    }
}
