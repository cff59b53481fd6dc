package dev.bastion.policies.model;

import java.util.Locale;
import java.util.Optional;

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

    /** The protocol as policies write it: tcp, udp, icmp, any. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The concrete protocol (never ANY) carrying this IPv4 protocol number, if policies can name it. */
    public static Optional<Protocol> of(int number) {
        for (Protocol p : values()) {
            if (p != ANY && p.number == number) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** An IPv4 protocol number as logs show it: its label, or the number for protocols policies do not name. */
    public static String text(int number) {
        return of(number).map(Protocol::label).orElse(Integer.toString(number));
    }
}
