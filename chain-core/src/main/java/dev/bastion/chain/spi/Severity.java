package dev.bastion.chain.spi;

/** How urgent an alert is, in the three levels operators triage by. */
public enum Severity {
    LOW, MEDIUM, HIGH
}
