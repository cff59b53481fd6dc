package dev.bastion.agent.attack;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.Shell;
import dev.bastion.policies.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in protection for the suite's control run: an ebtables rule on the node that drops every ARP frame
 * entering the bridge from one container's host-side veth, counted under the reason "arp-quarantine". It shows
 * that the suite reports an attack BLOCKED when something really drops it, and names what dropped it. (This
 * kernel has no tc gact action, so tc cannot drop here.)
 */
final class ArpQuarantine implements BlockEvidence, AutoCloseable {
    private static final Pattern PACKETS = Pattern.compile("pcnt = (\\d+)");

    private final Lab lab;
    private final Shell shell;
    private final Container quarantined;
    private final List<String> rule;

    ArpQuarantine(Lab lab, Shell shell, Container quarantined) {
        this.lab = lab;
        this.shell = shell;
        this.quarantined = quarantined;
        this.rule = List.of("PREROUTING", "-i", lab.names().hostVeth(quarantined), "-p", "ARP", "-j", "DROP");
        ebtables("-A");
    }

    @Override
    public Mode mode() {
        return Mode.PROTECTED;
    }

    @Override
    public Map<String, Long> drops(Container container) {
        if (!container.name().equals(quarantined.name())) {
            return Map.of();
        }
        Matcher m = PACKETS.matcher(ebtables("-L"));
        return Map.of("arp-quarantine", m.find() ? Long.parseLong(m.group(1)) : 0L);
    }

    @Override
    public void close() {
        ebtables("-D");
    }

    private String ebtables(String... command) {
        List<String> argv = new ArrayList<>(List.of("ebtables", "-t", "nat"));
        argv.addAll(List.of(command));
        argv.addAll(command[0].equals("-L") ? List.of("PREROUTING", "--Lc") : rule);
        return shell.run(lab.onNode(quarantined.node(), argv));
    }
}
