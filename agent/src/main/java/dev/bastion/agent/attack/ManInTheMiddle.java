package dev.bastion.agent.attack;

import dev.bastion.policies.model.Container;
import java.time.Duration;
import java.util.List;

/**
 * The attacker between two containers: both are poisoned to see the other's IP at the attacker's MAC, and the
 * attacker forwards what it receives (without ICMP redirects, which would give it away), so that their traffic
 * flows through it unnoticed. Closing it stops the poisoning and the forwarding.
 */
final class ManInTheMiddle implements AutoCloseable {
    private static final String FORWARD = "net.ipv4.ip_forward=%d";
    private static final String REDIRECTS = "net.ipv4.conf.%s.send_redirects=%d";

    private final AttackLab lab;
    private final ArpPoisoning toA;
    private final ArpPoisoning toB;
    private final boolean inPlace;

    /** Starts poisoning both ways and waits (up to five seconds) until both ARP tables point at the attacker. */
    ManInTheMiddle(AttackLab lab, Container a, Container b) {
        this.lab = lab;
        lab.ping(a, Cast.ip(b)); // each now holds the other's entry: unsolicited replies only override known entries
        forwarding(true);
        this.toA = new ArpPoisoning(lab, a, b);
        this.toB = new ArpPoisoning(lab, b, a);
        this.inPlace = ArpPoisoning.awaitAll(Duration.ofSeconds(5), toA, toB);
    }

    /** Whether both ARP tables pointed at the attacker within the wait. */
    boolean inPlace() {
        return inPlace;
    }

    String describe() {
        return toA.describe() + ", " + toB.describe() + " (attacker " + Cast.mac(lab.cast().attacker()) + ")";
    }

    @Override
    public void close() {
        toA.close();
        toB.close();
        forwarding(false);
    }

    private void forwarding(boolean on) {
        lab.run(lab.cast().attacker(), List.of("sysctl", "-qw", FORWARD.formatted(on ? 1 : 0),
                REDIRECTS.formatted("all", on ? 0 : 1), REDIRECTS.formatted("eth0", on ? 0 : 1)));
    }
}
