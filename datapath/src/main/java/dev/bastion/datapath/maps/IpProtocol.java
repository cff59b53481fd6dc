package dev.bastion.datapath.maps;

/** The IPv4 protocols the datapath's policies name, with their protocol numbers. */
public enum IpProtocol {
    ICMP(1), TCP(6), UDP(17);

    private final int number;

    IpProtocol(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The protocol with this number, or null for one the policies do not name. */
    public static IpProtocol of(int number) {
        for (IpProtocol protocol : values()) {
            if (protocol.number == number) {
                return protocol;
            }
        }
        return null;
    }
}
