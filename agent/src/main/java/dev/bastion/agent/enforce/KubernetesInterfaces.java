package dev.bastion.agent.enforce;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;

/**
 * Pods' veths as CNI plugins leave them on a node: found by the pod's IP (see {@link PodVeths}), since nothing in the
 * API names them; a pod network's gateway is the interface holding its address (the CNI bridge).
 */
public record KubernetesInterfaces(PodVeths veths) implements ContainerInterfaces {

    @Override
    public String hostSide(Container container) {
        return veth(container).hostSide();
    }

    @Override
    public String namespace(Container container) {
        return veth(container).namespace();
    }

    @Override
    public String containerSide(Container container) {
        return veth(container).containerSide();
    }

    @Override
    public String gateway(ContainerNetwork network) {
        return veths.holding(network.gateway());
    }

    private PodVeth veth(Container container) {
        var ip = container.ip().orElseThrow(
                () -> new IllegalArgumentException("pod " + container.name() + " has no IP: it has no veth to guard"));
        return veths.find(ip).orElseThrow(() -> new IllegalStateException(
                "no pod network namespace of this node holds " + container.name() + "'s IP " + ip));
    }
}
