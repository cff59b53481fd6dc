package dev.bastion.datapath.maps;

/** Text forms of the datapath's int IPv4 addresses and long MACs, for logs, errors and tests. */
public final class Addresses {
    private Addresses() {
    }

    /** Parses dotted-quad IPv4 text. */
    public static int ip(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int ip = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            ip = ip << 8 | octet;
        }
        return ip;
    }

    /** Parses colon-separated MAC text. */
    public static long mac(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long mac = 0;
        for (String part : parts) {
            mac = mac << 8 | Integer.parseInt(part, 16);
        }
        return mac;
    }

    public static String ipText(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff);
    }

    public static String macText(long mac) {
        StringBuilder text = new StringBuilder();
        for (int shift = 40; shift >= 0; shift -= 8) {
            text.append(String.format("%02x", mac >>> shift & 0xff)).append(shift > 0 ? ":" : "");
        }
        return text.toString();
    }
}
