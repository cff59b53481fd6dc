package dev.bastion.agent.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** TCP SYN sweep (nmap -sS) of the attacker's /27 on every port the inventory's services use. */
final class TcpSweep implements Attack {
    private static final Pattern HOST = Pattern.compile("^Host: (\\S+) .*Ports: (.*)$");
    private static final Pattern OPEN = Pattern.compile("(\\d+)/open/tcp");

    @Override
    public String name() {
        return "tcp-sweep";
    }

    @Override
    public String goal() {
        return "discover containers' services by TCP SYN (nmap -sS)";
    }

    @Override
    public Component component() {
        return Component.ISOLATION;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        String block = Discovery.block(cast, 27);
        String ports = lab.allServedPorts().stream().map(String::valueOf).collect(Collectors.joining(","));
        String out = lab.run(cast.attacker(), List.of("nmap", "-sS", "-Pn", "-n", "-T4", "--max-retries", "1",
                "--host-timeout", "10s", "-p", ports, "-oG", "-", block));
        Set<String> withOpenPorts = new TreeSet<>();
        List<String> open = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher host = HOST.matcher(line);
            if (host.find()) {
                Matcher port = OPEN.matcher(host.group(2));
                while (port.find()) {
                    withOpenPorts.add(host.group(1));
                    open.add(host.group(1) + ":" + port.group(1));
                }
            }
        }
        Finding found = Discovery.judge(lab, withOpenPorts, "nmap -sS -p " + ports + " over " + block);
        return new Finding(found.result(), found.evidence() + "; open: " + (open.isEmpty() ? "none" : String.join(" ", open)));
    }
}
