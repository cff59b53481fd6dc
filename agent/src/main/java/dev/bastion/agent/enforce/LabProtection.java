package dev.bastion.agent.enforce;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.lab.Lab;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.dependency.PartitionDiff;
import java.util.Map;

/** A one-node lab protected as the agent's first poll protects it: every container, its partition, its programs. */
public final class LabProtection {
    private LabProtection() {
    }

    /** Protects every container of {@code lab} with its inventory's policies; returns the enforcer that did it. */
    public static DatapathEnforcer protect(Lab lab, Datapath datapath, DatapathEnforcer.Mode mode) {
        DatapathEnforcer enforcer = new DatapathEnforcer(datapath, mode, inventory -> new LabInterfaces(lab.names()));
        PolicyView view = PolicyView.of(lab.inventory());
        NetworkNamespace.run(lab.names().nodeNamespace(lab.inventory().nodes().get(0)),
                () -> enforcer.apply(PartitionDiff.between(Map.of(), view.partitions()), view));
        return enforcer;
    }
}
