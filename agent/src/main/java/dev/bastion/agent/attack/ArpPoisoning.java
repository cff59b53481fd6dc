package dev.bastion.agent.attack;

import dev.bastion.policies.model.Container;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * arpspoof's loop: unsolicited ARP replies to a victim every half second claiming another container's IP for the
 * attacker's MAC. It must keep going: the impersonated container's own ARP probes of the victim set the victim's
 * entry right again. Closing it stops the replies.
 */
final class ArpPoisoning implements AutoCloseable {
    private static final Pattern SENDING = Pattern.compile("^sending");

    private final AttackLab lab;
    private final Container victim;
    private final Container impersonated;
    private final Background replies;

    ArpPoisoning(AttackLab lab, Container victim, Container impersonated) {
        this.lab = lab;
        this.victim = victim;
        this.impersonated = impersonated;
        this.replies = lab.pythonInBackground(lab.cast().attacker(), "arp_reply.py", "eth0", Cast.ip(victim), Cast.mac(victim),
                Cast.ip(impersonated), "120", "0.5");
        replies.await(SENDING, Duration.ofSeconds(15));
    }

    /** Whether the victim's ARP entry for the impersonated IP holds the attacker's MAC now. */
    boolean holds() {
        return entry().equals(Cast.mac(lab.cast().attacker()));
    }

    String entry() {
        return lab.arpEntry(victim, Cast.ip(impersonated)).orElse("none");
    }

    /** The victim's entry for the impersonated IP, for the evidence. */
    String describe() {
        return victim.name() + " holds " + Cast.ip(impersonated) + " at " + entry();
    }

    /** Polls until every poisoning holds, for at most {@code timeout}; whether they all did. */
    static boolean awaitAll(Duration timeout, ArpPoisoning... poisonings) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = true;
            for (ArpPoisoning p : poisonings) {
                all &= p.holds();
            }
            if (all || System.nanoTime() > deadline) {
                return all;
            }
            Capture.sleep(Duration.ofMillis(200));
        }
    }

    @Override
    public void close() {
        replies.close();
    }
}
