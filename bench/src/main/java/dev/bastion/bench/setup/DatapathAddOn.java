package dev.bastion.bench.setup;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.lab.Lab;
import dev.bastion.datapath.enforce.Datapath;

/** What a setup runs on top of the datapath it applied: started once the lab is protected, stopped before removal. */
public interface DatapathAddOn {
    DatapathAddOn NONE = new DatapathAddOn() {
        @Override
        public void start(Lab lab, String nodeNamespace, Datapath datapath, DatapathEnforcer enforcer, PolicyView view) {
        }

        @Override
        public void stop() {
        }
    };

    void start(Lab lab, String nodeNamespace, Datapath datapath, DatapathEnforcer enforcer, PolicyView view);

    void stop();
}
