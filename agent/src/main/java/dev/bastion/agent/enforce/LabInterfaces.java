package dev.bastion.agent.enforce;

import dev.bastion.agent.lab.LabNames;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;

/** A lab's containers, named as the lab names them (the agent runs in the lab node's namespace). */
public record LabInterfaces(LabNames names) implements ContainerInterfaces {

    @Override
    public String hostSide(Container container) {
        return names.hostVeth(container);
    }

    @Override
    public String namespace(Container container) {
        return names.containerNamespace(container);
    }

    @Override
    public String containerSide(Container container) {
        return LabNames.containerInterface();
    }

    @Override
    public String gateway(ContainerNetwork network) {
        return names.bridge(network);
    }
}
