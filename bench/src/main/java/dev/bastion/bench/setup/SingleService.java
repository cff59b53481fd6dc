package dev.bastion.bench.setup;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.lab.Lab;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.CounterMap.Counter;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.maps.SettingsMap.Service;
import java.util.EnumSet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of Bastion's two services alone, as a row of the paper's Table 2: the datapath runs with the other one
 * switched off ({@code SettingsMap.disable}). Network visibility alone: Bastion's ARP handler, gateway handler and
 * isolation, with the bridge forwarding what they allow. Traffic visibility alone: source verification and direct
 * forwarding, with ARP left to the bridge and every destination allowed.
 */
public final class SingleService implements DatapathAddOn {
    private static final Logger log = LoggerFactory.getLogger(SingleService.class);

    private final Service kept;
    private final PathCounters path = new PathCounters();

    public SingleService(Service kept) {
        this.kept = kept;
    }

    @Override
    public void start(Lab lab, String nodeNamespace, Datapath datapath, DatapathEnforcer enforcer, PolicyView view) {
        datapath.settings().disable(EnumSet.complementOf(EnumSet.of(kept)));
        path.add(lab, PathCounters.nodeOf(lab, nodeNamespace).name(), datapath, enforcer);
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
