package dev.bastion.bench.setup;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.enforce.DatapathEnforcer.Mode;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.CounterMap.Counter;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.HostNode;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end direct forwarding across lab nodes, which the agent's enforcer does not wire yet: on each node, every
 * container of the other nodes gets a {@code REMOTE} entry (out of this node's uplink, from its MAC to the other
 * node's uplink MAC), and the uplink gets the external entry of the datapath's mode, which hands packets for this
 * node's containers straight to their veths. Allowed packets then never meet a bridge or a routing table.
 * XDP mode also puts {@code container_pass} on the node's port of the underlay: frames XDP-redirected into the
 * uplink veth arrive only if its peer runs XDP. Everything attached is pinned in the node's datapath, which the
 * setup removes. On stop, logs each protected container's counters: they show which path the packets took.
 */
public final class RemoteForwarding implements DatapathAddOn {
    private static final Logger log = LoggerFactory.getLogger(RemoteForwarding.class);

    private final PathCounters path = new PathCounters();

    @Override
    public void start(Lab lab, String nodeNamespace, Datapath datapath, DatapathEnforcer enforcer, PolicyView view) {
        HostNode self = PathCounters.nodeOf(lab, nodeNamespace);
        String uplink = LabNames.nodeUplink();
        int uplinkIndex = NetworkNamespace.call(nodeNamespace, () -> Interfaces.index(uplink));
        long uplinkMac = NetworkNamespace.call(nodeNamespace, () -> Interfaces.mac(uplink));
        for (HostNode other : lab.inventory().nodes()) {
            if (other.equals(self)) {
                continue;
            }
            long otherMac = NetworkNamespace.call(lab.names().nodeNamespace(other), () -> Interfaces.mac(uplink));
            for (Container c : PathCounters.containersOn(lab, other.name())) {
                datapath.forwarding().put(c.ip().orElseThrow().bits(),
                        Forward.remote(uplinkIndex, c.mac().orElseThrow().bits(), otherMac, uplinkMac));
            }
        }
        String link = "bench-uplink-" + self.name();
        if (enforcer.mode() == Mode.TC) {
            NetworkNamespace.run(nodeNamespace, () -> datapath.attach(Entry.EXTERNAL_TC, uplinkIndex, link));
        } else {
            NetworkNamespace.run(nodeNamespace, () -> datapath.attach(Entry.EXTERNAL_XDP, uplinkIndex, link));
            String port = lab.names().underlayPort(self);
            NetworkNamespace.run(lab.names().underlayNamespace(),
                    () -> datapath.attach(Entry.CONTAINER_PASS, Interfaces.index(port), link + "-pass"));
        }
        path.add(lab, self.name(), datapath, enforcer);
    }

    @Override
    public void stop() {
        path.logAndClear(log);
    }

    /** The protected containers' counters while applied, by container name. */
    public Map<String, Map<Reason, Counter>> counters() {
        return path.read();
    }
}
