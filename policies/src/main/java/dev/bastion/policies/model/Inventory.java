package dev.bastion.policies.model;

import java.util.List;
import java.util.Optional;

/**
 * Everything known about a container platform at one moment: nodes, networks, containers and the declared
 * intent (container sets, microservices, policies, service IPs). Immutable; collectors produce new ones.
 */
public record Inventory(
        String name,
        Optional<Ipv4Prefix> underlay,
        List<HostNode> nodes,
        List<ContainerNetwork> networks,
        List<Container> containers,
        List<ContainerSet> containerSets,
        List<Microservice> microservices,
        List<Policy> policies,
        List<ServiceIp> services) {

    public Optional<Container> container(String containerName) {
        return containers.stream().filter(c -> c.name().equals(containerName)).findFirst();
    }

    public Optional<ContainerNetwork> network(String networkName) {
        return networks.stream().filter(n -> n.name().equals(networkName)).findFirst();
    }
}
