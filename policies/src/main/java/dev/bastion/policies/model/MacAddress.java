package dev.bastion.policies.model;

import java.util.Locale;

/** A 48-bit Ethernet address. */
public record MacAddress(long bits) {

    public static MacAddress parse(String text) {
        String[] parts = text.trim().split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (six hex bytes joined by ':')");
        }
        long bits = 0;
        for (String part : parts) {
            if (part.length() != 2 || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (six hex bytes joined by ':')");
            }
            bits = (bits << 8) | Integer.parseInt(part, 16);
        }
        return new MacAddress(bits);
    }

    /** The address Docker gives a container on its default bridge: 02:42 followed by the IPv4 address. */
    public static MacAddress dockerStyle(Ipv4Address ip) {
        return new MacAddress(0x0242L << 32 | Integer.toUnsignedLong(ip.bits()));
    }

    public boolean isMulticast() {
        return ((bits >>> 40) & 1) == 1;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            out.append(String.format(Locale.ROOT, "%02x", (bits >>> (8 * i)) & 0xff));
            if (i > 0) {
                out.append(':');
            }
        }
        return out.toString();
    }
}
