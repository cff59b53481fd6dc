package dev.bastion.agent.enforce;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;

/**
 * Where a container's veth is: the host-side end the datapath guards, and the network namespace holding the
 * container-side end (XDP mode attaches a pass program there). Platforms name these differently.
 */
public interface ContainerInterfaces {

    /** The host-side veth's name, in the agent's network namespace. */
    String hostSide(Container container);

    /** The named network namespace (under /run/netns) of the container's end of the veth. */
    String namespace(Container container);

    /** The container-side end's name inside {@link #namespace}. */
    String containerSide(Container container);

    /** The interface holding a network's gateway address on this node (the bridge), for its MAC. */
    String gateway(ContainerNetwork network);
}
