package dev.bastion.agent.attack;

import dev.bastion.policies.model.Container;

/**
 * A host-network container writing frames onto the bridge that claim the client's IP, addressed to the server.
 * Proven by what the server receives.
 */
final class HostNetworkInjection implements Attack {

    @Override
    public String name() {
        return "host-network-injection";
    }

    @Override
    public String goal() {
        return "inject spoofed frames into a container from a host-network container";
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
        Container injector = cast.hostNetwork().get();
        return IpSpoofing.spoofClientToServer(lab, injector, lab.names().bridge(cast.network()));
    }
}
