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
        String lengthText = text.substring(slash + 1).trim();
        if (lengthText.isEmpty() || lengthText.length() > 2 || !lengthText.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length (0..32)");
        }
        int length = Integer.parseInt(lengthText);
        Ipv4Address address = Ipv4Address.parse(text.substring(0, slash));
        Ipv4Prefix prefix = new Ipv4Prefix(address, length);
        if (!prefix.network().equals(address)) {
            // A typo as often as not: refuse rather than guess which of the two the author meant.
            throw new IllegalArgumentException("'" + text + "' has host bits set; the subnet is " + prefix);
        }
        return prefix;
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
