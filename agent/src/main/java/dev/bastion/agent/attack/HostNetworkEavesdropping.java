package dev.bastion.agent.attack;

import dev.bastion.agent.lab.LabException;
import dev.bastion.policies.model.Container;

/**
 * A host-network container (tcpdump in the node's network namespace) capturing on every interface there (the
 * bridge and the containers' host-side veths) what the client sends the server. Proven by the request's secret
 * in its capture.
 */
final class HostNetworkEavesdropping implements Attack {

    @Override
    public String name() {
        return "eavesdrop-host-network";
    }

    @Override
    public String goal() {
        return "read inter-container traffic from a host-network container";
    }

    @Override
    public Component component() {
        return Component.DIRECT_FORWARDING;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        if (cast.hostNetwork().isEmpty()) {
            return Finding.notApplicable("no host-network container on " + cast.attacker().node());
        }
        Container spy = cast.hostNetwork().get();
        String everywhere = "any";
        String secret = "secret-" + System.nanoTime();
        Capture opened;
        try {
            opened = lab.capture(spy, everywhere, "tcp and port " + cast.serverPort());
        } catch (LabException e) {
            return Finding.refused(spy.name() + "'s capture on all interfaces", e);
        }
        try (Capture capture = opened) {
            lab.request(cast.client(), Cast.ip(cast.server()), cast.serverPort(), "AUTH " + secret);
            boolean seen = capture.carries(secret);
            return Finding.effect(seen, spy.name() + " capturing on all the node's interfaces" + (seen ? " read " : " did not see ")
                    + "'AUTH " + secret + "' from " + cast.client().name() + " to " + cast.server().name());
        }
    }
}
