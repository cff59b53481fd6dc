package dev.bastion.agent.attack;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ARP scan with nmap's host discovery (-sn), which on a local subnet asks by ARP, over the attacker's /24. */
final class ArpScanNmap implements Attack {
    private static final Pattern UP = Pattern.compile("^Host: (\\S+) .*Status: Up");

    @Override
    public String name() {
        return "arp-scan-nmap";
    }

    @Override
    public String goal() {
        return "discover containers by ARP (nmap -sn)";
    }

    @Override
    public Component component() {
        return Component.DIRECT_ARP;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        String block = Discovery.block(cast, 24);
        return Discovery.judge(lab, hostsUp(lab, block, List.of("-PR")), "nmap -sn -PR over " + block);
    }

    /**
     * The addresses nmap reports up in {@code block}, with the given discovery probes. No retries: on veths an answer
     * is not lost, and a /24 where nobody answers then takes 5 s instead of 11.
     */
    static List<String> hostsUp(AttackLab lab, String block, List<String> probes) {
        List<String> argv = new java.util.ArrayList<>(List.of("nmap", "-sn", "-n", "-T5", "--max-retries", "0"));
        argv.addAll(probes);
        argv.addAll(List.of("-oG", "-", block));
        return lab.run(lab.cast().attacker(), argv).lines().map(UP::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    }
}
