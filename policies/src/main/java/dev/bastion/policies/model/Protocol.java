package dev.bastion.policies.model;

/** Transport protocols a policy can name; ANY matches every protocol and port. */
public enum Protocol {
    TCP(6), UDP(17), ICMP(1), ANY(0);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** IANA protocol number as it appears in the IPv4 header (0 for ANY). */
    public int number() {
        return number;
    }
}
