package dev.bastion.bench.setup;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.lab.Lab;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.CounterMap.Counter;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.policies.model.Container;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bastion's checks with the bridge's forwarding: Table 2's "network visibility only", as close as the datapath
 * allows without a change to its program. Every protected container of the node becomes a {@code HOST} address in
 * the {@code containers} map, with its own MAC: the direct ARP handler still answers with that MAC, but allowed
 * packets are handed to the kernel, which bridges them, instead of being redirected to the destination's veth. The
 * host egress guards are detached, since everything now reaches containers through the bridge.
 * Still run per packet, because the program has no switch for them: source verification, the gateway and
 * service lookups, and the isolation lookup (whose entries allow the measured flows).
 */
public final class BridgeForwarding implements DatapathAddOn {
    private static final Logger log = LoggerFactory.getLogger(BridgeForwarding.class);

    private final PathCounters path = new PathCounters();

    @Override
    public void start(Lab lab, String nodeNamespace, Datapath datapath, DatapathEnforcer enforcer, PolicyView view) {
        String node = PathCounters.nodeOf(lab, nodeNamespace).name();
        for (Container c : PathCounters.containersOn(lab, node)) {
            DatapathEnforcer.Protected p = enforcer.protectedContainer(c.name())
                    .orElseThrow(() -> new IllegalStateException(c.name() + " is not protected on " + node));
            datapath.forwarding().put(p.ip(), Forward.host(p.mac()));
            String guard = DatapathEnforcer.link(c.name()) + "-egress";
            if (!datapath.detach(guard)) {
                throw new IllegalStateException("no host egress guard pinned as " + guard + " for " + c.name());
            }
        }
        path.add(lab, node, datapath, enforcer);
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
