package dev.bastion.agent.attack;

import dev.bastion.policies.model.Container;

/**
 * A service of the node itself (a listener in the node's namespace on the kubelet's port) reached from the
 * attacker through its network's gateway IP. Proven by the node's service answering.
 */
final class GatewayHostAccess implements Attack {
    /** The kubelet's port: the host service a container is least meant to reach. */
    static final int HOST_PORT = 10250;

    @Override
    public String name() {
        return "host-access-gateway";
    }

    @Override
    public String goal() {
        return "reach a host service through the container network's gateway IP";
    }

    @Override
    public Component component() {
        return Component.GATEWAY_AND_SERVICE_IP;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        return reachHost(lab, lab.cast().network().gateway().toString(), "its gateway");
    }

    /** The attacker asks the node's service at {@code address}; feasible when the service answers it. */
    static Finding reachHost(AttackLab lab, String address, String via) {
        Container attacker = lab.cast().attacker();
        try (Listener host = lab.listenOnNode(attacker.node(), HOST_PORT)) {
            String asked = "GET /pods";
            String answer = lab.request(attacker, address, HOST_PORT, asked).orElse("no answer");
            long connections = host.connectionsFrom(Cast.ip(attacker));
            return Finding.effect(connections > 0 && answer.equals("node: " + asked), attacker.name() + " -> " + address + ":"
                    + HOST_PORT + " (" + via + "): the node's service took " + connections + " connection(s), answered '"
                    + answer + "'");
        }
    }
}
