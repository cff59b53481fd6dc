package dev.bastion.agent.attack;

import java.util.List;

/**
 * A SYN flood (hping3, random spoofed sources) at the attacker's own dependency: the port is one its policy opens,
 * so only the forged sources tell the flood apart. Proven by the SYNs the victim receives from other sources.
 */
final class SynFlood implements Attack {
    private static final int SYNS = 200;

    @Override
    public String name() {
        return "syn-flood";
    }

    @Override
    public String goal() {
        return "flood a dependency with SYNs from forged sources (hping3 --rand-source)";
    }

    @Override
    public Component component() {
        return Component.SOURCE_VERIFICATION;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        String peer = Cast.ip(cast.peer());
        String port = Integer.toString(cast.peerPort());
        try (Capture capture = lab.capture(cast.peer(), "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and dst port " + port
                + " and not src host " + Cast.ip(cast.attacker()))) {
            lab.sh(cast.attacker(), "hping3 -q -S -p \"$1\" --rand-source -c \"$2\" -i u1000 \"$3\" >/dev/null 2>&1",
                    List.of(port, Integer.toString(SYNS), peer));
            long arrived = capture.count("");
            return Finding.effect(arrived >= SYNS / 2, arrived + " of " + SYNS + " forged-source SYNs reached "
                    + cast.peer().name() + ":" + port);
        }
    }
}
