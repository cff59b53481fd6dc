package dev.bastion.agent.enforce;

import dev.bastion.policies.model.MacAddress;

/**
 * A pod's veth on this node: the host-side end (name and ifindex in the agent's namespace), the named namespace
 * holding the pod's end, that end's name, and its MAC (the pod's MAC, which the Kubernetes API does not know).
 */
public record PodVeth(String hostSide, int hostIfindex, String namespace, String containerSide, MacAddress mac) {
}
