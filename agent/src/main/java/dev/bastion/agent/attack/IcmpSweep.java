package dev.bastion.agent.attack;

import java.util.List;

/** ICMP echo sweep (ping) over the attacker's /27, all addresses at once. */
final class IcmpSweep implements Attack {
    private static final String SWEEP = "for ip in \"$@\"; do (ping -c 1 -W 1 -q \"$ip\" >/dev/null 2>&1 && echo \"$ip\") & done; wait";

    @Override
    public String name() {
        return "icmp-sweep";
    }

    @Override
    public String goal() {
        return "discover containers by ICMP echo";
    }

    @Override
    public Component component() {
        return Component.ISOLATION;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        List<String> answered = lab.sh(cast.attacker(), SWEEP, Discovery.addresses(cast, 27)).lines().map(String::strip).toList();
        return Discovery.judge(lab, answered, "ping sweep over " + Discovery.block(cast, 27));
    }
}
