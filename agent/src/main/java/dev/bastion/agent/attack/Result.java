package dev.bastion.agent.attack;

/** What an attempt showed. */
public enum Result {
    /** The attack's effect was observed where it lands (a victim's ARP table, packets at the victim, a dead session). */
    FEASIBLE,
    /** The attack was carried out and its effect did not appear. */
    BLOCKED,
    /** The lab lacks what the attack needs (the reason says what); nothing was concluded. */
    NOT_APPLICABLE,
    /** The attack itself could not be carried out (a tool failed); nothing was concluded. */
    ERROR
}
