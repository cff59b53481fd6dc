package dev.bastion.agent.attack;

/**
 * One attack of a compromised (or network-privileged) container, carried out for real in a lab. An attack
 * decides FEASIBLE or BLOCKED only from its effect where it lands, never from whether its tool ran.
 */
public interface Attack {

    /** Short and unique, e.g. "arp-scan-nmap". */
    String name();

    /** What the attacker tries, in one line. */
    String goal();

    /** The component meant to stop it under Bastion. */
    Component component();

    /** Carries the attack out and observes its effect. Leaves nothing running behind. */
    Finding attempt(AttackLab lab);
}
