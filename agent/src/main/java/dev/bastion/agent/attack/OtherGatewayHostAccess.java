package dev.bastion.agent.attack;

/** The node's service reached through the gateway IP of another network than the attacker's. */
final class OtherGatewayHostAccess implements Attack {

    @Override
    public String name() {
        return "host-access-other-gateway";
    }

    @Override
    public String goal() {
        return "reach a host service through another network's gateway IP";
    }

    @Override
    public Component component() {
        return Component.GATEWAY_AND_SERVICE_IP;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        return lab.cast().otherNetwork()
                .map(n -> GatewayHostAccess.reachHost(lab, n.gateway().toString(), "gateway of " + n.name()))
                .orElse(Finding.notApplicable("the attacker's node has only one container network"));
    }
}
