package dev.bastion.agent.attack;

import java.util.List;

/** ARP scan with arping: one ARP request per address of the attacker's /27, all at once. */
final class ArpScanArping implements Attack {
    private static final String SCAN =
            "for ip in \"$@\"; do (arping -q -c 1 -w 1 -i eth0 \"$ip\" >/dev/null 2>&1 && echo \"$ip\") & done; wait";

    @Override
    public String name() {
        return "arp-scan-arping";
    }

    @Override
    public String goal() {
        return "discover containers by ARP requests (arping)";
    }

    @Override
    public Component component() {
        return Component.DIRECT_ARP;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        List<String> answered = lab.sh(cast.attacker(), SCAN, Discovery.addresses(cast, 27)).lines().map(String::strip).toList();
        return Discovery.judge(lab, answered, "arping over " + Discovery.block(cast, 27));
    }
}
