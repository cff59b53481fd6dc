package dev.bastion.agent.attack;

import dev.bastion.agent.lab.LabException;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.policies.model.Container;

/** UDP datagrams to the server that claim the client's source IP. Proven by what the server receives. */
final class IpSpoofing implements Attack {
    private static final int PORT = 7777;

    @Override
    public String name() {
        return "ip-spoof";
    }

    @Override
    public String goal() {
        return "send packets to a container under a peer's IP address";
    }

    @Override
    public Component component() {
        return Component.SOURCE_VERIFICATION;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        return spoofClientToServer(lab, lab.cast().attacker(), LabNames.containerInterface());
    }

    /** {@code sender} sends, out of {@code iface}, datagrams claiming the client's IP to the server; counted there. */
    static Finding spoofClientToServer(AttackLab lab, Container sender, String iface) {
        Cast cast = lab.cast();
        String client = Cast.ip(cast.client());
        String marker = "bastion-spoof-" + System.nanoTime();
        try (Capture capture = lab.capture(cast.server(), "udp and src host " + client + " and dst port " + PORT)) {
            try {
                lab.python(sender, "spoofed_udp.py", iface, Cast.mac(cast.server()), client, Cast.ip(cast.server()),
                        Integer.toString(PORT), marker, "5");
            } catch (LabException e) {
                return Finding.refused(sender.name() + "'s raw socket", e);
            }
            long arrived = capture.count("");
            boolean marked = arrived > 0 && capture.carries(marker);
            return Finding.effect(marked, arrived + " of 5 datagrams sent by " + sender.name() + " arrived at "
                    + cast.server().name() + " with source " + client + " (" + cast.client().name() + ")");
        }
    }
}
