package dev.bastion.agent.attack;

import dev.bastion.agent.lab.LabException;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Policy;
import dev.bastion.policies.model.PolicyRule;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import dev.bastion.policies.model.ServiceIp;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Who plays what in the suite, read from the inventory: containers carry the label {@value #LABEL} with the value
 * attacker (the compromised container), client and server (the victims' legitimate session, client -> server,
 * allowed by an egress policy) or peer (the attacker's own legitimate dependency). The rest is derived: a
 * host-network container on the attacker's node, another network on that node, a service IP of the server's set.
 */
public record Cast(
        Inventory inventory,
        Container attacker,
        Container client,
        Container server,
        Container peer,
        int serverPort,
        int peerPort,
        int unpolicedPeerPort,
        Optional<Container> hostNetwork,
        Optional<ContainerNetwork> otherNetwork,
        Optional<ServiceIp> service) {

    public static final String LABEL = "attack-role";

    public static Cast of(Inventory inventory) {
        Container attacker = role(inventory, "attacker");
        Container client = role(inventory, "client");
        Container server = role(inventory, "server");
        Container peer = role(inventory, "peer");
        for (Container c : List.of(client, server, peer)) {
            if (!c.network().equals(attacker.network())) {
                throw new LabException(c.name() + " must be on the attacker's network " + attacker.network().orElse("?")
                        + " (layer-2 attacks need a shared bridge)");
            }
        }
        List<PortSpec> peerPorts = allowedPorts(inventory, attacker, peer);
        int unpoliced = IntStream.of(2222, 8081, 9999, 31337)
                .filter(p -> peerPorts.stream().noneMatch(s -> s.matches(Protocol.TCP, p))).findFirst()
                .orElseThrow(() -> new LabException("every candidate port is allowed from the attacker to its peer"));
        Optional<Container> hostNetwork = inventory.containers().stream()
                .filter(c -> c.hostNetwork() && c.node().equals(attacker.node())).findFirst();
        Optional<ContainerNetwork> other = inventory.networks().stream()
                .filter(n -> n.node().equals(attacker.node()) && !attacker.network().orElseThrow().equals(n.name())).findFirst();
        Optional<ServiceIp> service = inventory.services().stream()
                .filter(s -> s.containerSet().equals(server.containerSet())).findFirst();
        return new Cast(inventory, attacker, client, server, peer, firstTcpPort(allowedPorts(inventory, client, server), client, server),
                firstTcpPort(peerPorts, attacker, peer), unpoliced, hostNetwork, other, service);
    }

    public ContainerNetwork network() {
        return inventory.network(attacker.network().orElseThrow()).orElseThrow();
    }

    /** The containers of the attacker's network that it has no business with: neither itself nor its peer. */
    public List<Container> nonDependents() {
        return inventory.containers().stream()
                .filter(c -> c.network().equals(attacker.network()) && c != attacker && c != peer).toList();
    }

    public static String ip(Container c) {
        return c.ip().orElseThrow().toString();
    }

    public static String mac(Container c) {
        return c.mac().orElseThrow().toString();
    }

    private static Container role(Inventory inventory, String role) {
        List<Container> found = inventory.containers().stream().filter(c -> role.equals(c.labels().get(LABEL))).toList();
        if (found.size() != 1 || found.get(0).hostNetwork()) {
            throw new LabException(inventory.name() + ": exactly one container with its own network must have the label "
                    + LABEL + ": " + role + " (found " + found.size() + "); see examples/topologies/two-network.yaml");
        }
        return found.get(0);
    }

    /** The ports the egress policies of {@code from}'s set open on {@code to}'s set. */
    private static List<PortSpec> allowedPorts(Inventory inventory, Container from, Container to) {
        return inventory.policies().stream().filter(p -> p.containerSet().equals(from.containerSet()))
                .map(Policy::egress).flatMap(List::stream).filter(r -> r.peer().equals(to.containerSet()))
                .map(PolicyRule::ports).flatMap(List::stream).toList();
    }

    private static int firstTcpPort(List<PortSpec> ports, Container from, Container to) {
        return ports.stream().filter(p -> p.protocol() == Protocol.TCP).mapToInt(PortSpec::from).filter(p -> p > 0)
                .findFirst().orElseThrow(() -> new LabException("no egress policy of " + from.containerSet()
                        + " opens a TCP port of " + to.containerSet() + ": the suite needs one for the legitimate session"));
    }
}
