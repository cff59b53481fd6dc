package dev.bastion.datapath.maps;

/** Why a packet got its verdict: enum reason of reasons.h, same numbers. */
public enum Reason {
    FORWARD_LOCAL(0), FORWARD_REMOTE(1), PASS_HOST(2), STEERED(3), ARP_REPLIED(4), EXT_DELIVERED(5), EXT_HOST(6),
    EXT_STEERED(7), MALFORMED(8), VLAN(9), IPV6(10), ETHERTYPE(11), UNKNOWN_IFINDEX(12), SPOOFED_MAC(13),
    SPOOFED_IP(14), ARP_DENIED(15), ARP_NOT_REQUEST(16), ARP_GRATUITOUS(17), GATEWAY(18), NO_POLICY(19), PORT_DENIED(20),
    FRAGMENT(21), OVERRIDE_BLOCK(22), NO_SOCKET(23), EXT_NOT_LOCAL(24), EXT_UNKNOWN_SOURCE(25),
    HOST_INJECTED(26);

    /** Counter slots per container in the {@code counters} map (REASON_SLOTS). */
    static final int SLOTS = 32;

    private final int code;

    Reason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether packets counted with this reason were dropped. */
    public boolean dropped() {
        return code >= MALFORMED.code;
    }

    public static Reason of(int code) {
        for (Reason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown datapath reason " + code);
    }
}
