package dev.bastion.bench.setup;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.enforce.LabProtection;
import dev.bastion.agent.lab.Lab;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.CounterMap.Counter;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.policies.model.HostNode;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end direct forwarding across lab nodes, as the agent does it with {@code datapath.external-interface}
 * set to the node's uplink ({@link LabProtection#join}): every container of the other nodes the benchmark's flows
 * reach gets a {@code REMOTE} entry and the uplink the external program, so allowed packets never meet a bridge or
 * a routing table. On stop, logs each protected container's counters: they show which path the packets took.
 */
public final class RemoteForwarding implements DatapathAddOn {
    private static final Logger log = LoggerFactory.getLogger(RemoteForwarding.class);

    private final PathCounters path = new PathCounters();

    @Override
    public void start(Lab lab, String nodeNamespace, Datapath datapath, DatapathEnforcer enforcer, PolicyView view) {
        HostNode self = PathCounters.nodeOf(lab, nodeNamespace);
        LabProtection.join(lab, datapath, enforcer.mode(), self, view);
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
