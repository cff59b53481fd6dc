package dev.bastion.policies.dependency;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.Ipv4Prefix;
import dev.bastion.policies.model.MacAddress;
import dev.bastion.policies.model.Microservice;
import dev.bastion.policies.model.Policy;
import dev.bastion.policies.model.PolicyRule;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.ServiceIp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small inventories built in code, for cases an inventory file would (rightly) reject. */
final class Fixtures {
    static final ContainerNetwork BRIDGE = new ContainerNetwork("bridge", "node1", Ipv4Prefix.parse("10.0.0.0/24"),
            Ipv4Address.parse("10.0.0.1"), Optional.of(MacAddress.parse("02:00:00:00:00:01")));

    private Fixtures() {
    }

    static Container container(String name, String set, int host) {
        Ipv4Address ip = Ipv4Address.parse("10.0.0." + host);
        return new Container(name, set, "node1", Optional.of("bridge"), Optional.of(ip),
                Optional.of(MacAddress.dockerStyle(ip)), false, Map.of());
    }

    static ContainerSet set(String name, String microservice, String... internalPorts) {
        return new ContainerSet(name, Optional.ofNullable(microservice), ports(internalPorts));
    }

    static Microservice microservice(String name, String... globalPorts) {
        return new Microservice(name, ports(globalPorts));
    }

    static Policy policy(String set, List<PolicyRule> ingress, List<PolicyRule> egress) {
        return new Policy(set, ingress, egress);
    }

    static PolicyRule rule(String peer, String... ports) {
        return new PolicyRule(peer, ports(ports));
    }

    static List<PortSpec> ports(String... specs) {
        return Arrays.stream(specs).map(PortSpec::parse).toList();
    }

    static Inventory inventory(List<Container> containers, List<ContainerSet> sets, List<Microservice> services,
            List<Policy> policies, List<ServiceIp> serviceIps) {
        return new Inventory("t", Optional.empty(), List.of(new HostNode("node1", Optional.empty())), List.of(BRIDGE),
                containers, sets, services, policies, serviceIps);
    }
}
