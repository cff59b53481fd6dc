package dev.bastion.agent.attack;

import java.time.Duration;

/**
 * arpspoof-style poisoning: unsolicited ARP replies to the client claiming the server's IP. Proven by the client's
 * packets for the server arriving at the attacker (framed for the attacker's MAC).
 */
final class ArpReplySpoofing implements Attack {

    @Override
    public String name() {
        return "arp-spoof-reply";
    }

    @Override
    public String goal() {
        return "redirect a peer's traffic to the attacker by unsolicited ARP replies (arpspoof)";
    }

    @Override
    public Component component() {
        return Component.DIRECT_ARP;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        String client = Cast.ip(cast.client());
        String server = Cast.ip(cast.server());
        lab.ping(cast.client(), server);
        try (Capture capture = lab.capture(cast.attacker(), "ether dst " + Cast.mac(cast.attacker()) + " and src host "
                + client + " and dst host " + server);
             ArpPoisoning poisoning = new ArpPoisoning(lab, cast.client(), cast.server())) {
            ArpPoisoning.awaitAll(Duration.ofSeconds(4), poisoning);
            String entry = poisoning.describe();
            lab.ping(cast.client(), server);
            long intercepted = capture.count("");
            return Finding.effect(intercepted > 0, intercepted + " packet(s) from " + cast.client().name() + " to "
                    + cast.server().name() + " arrived at " + cast.attacker().name() + "; " + entry);
        }
    }
}
