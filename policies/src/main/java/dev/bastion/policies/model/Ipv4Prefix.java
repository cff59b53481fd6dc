package dev.bastion.policies.model;

/** An IPv4 subnet in CIDR form; the address is normalised to the network address. */
public record Ipv4Prefix(Ipv4Address network, int length) {

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " is not within 0..32");
        }
        network = new Ipv4Address(network.bits() & mask(length));
    }

    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a subnet (a.b.c.d/len)");
        }
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
        }
        return new Ipv4Prefix(Ipv4Address.parse(text.substring(0, slash)), length);
    }

    private static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    public boolean contains(Ipv4Address address) {
        return (address.bits() & mask(length)) == network.bits();
    }

    /** True for the network and broadcast addresses, which no container may take. */
    public boolean isReserved(Ipv4Address address) {
        int host = address.bits() & ~mask(length);
        return length < 31 && (host == 0 || host == ~mask(length));
    }

    @Override
    public String toString() {
        return network + "/" + length;
    }
}
