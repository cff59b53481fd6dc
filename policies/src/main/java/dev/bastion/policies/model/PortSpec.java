package dev.bastion.policies.model;

import java.util.Locale;

/**
 * A protocol and port range as written in inventories and policies: {@code tcp/80}, {@code udp/1000-2000},
 * {@code tcp} (every TCP port), {@code icmp}, {@code any}.
 */
public record PortSpec(Protocol protocol, int from, int to) {
    public static final PortSpec ANY = new PortSpec(Protocol.ANY, 0, 65535);

    public PortSpec {
        if (from < 0 || to > 65535 || from > to) {
            throw new IllegalArgumentException("port range " + from + "-" + to + " is not within 0..65535");
        }
    }

    public static PortSpec parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int slash = t.indexOf('/');
        String protoText = slash < 0 ? t : t.substring(0, slash);
        Protocol protocol = switch (protoText) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            case "icmp" -> Protocol.ICMP;
            case "any" -> Protocol.ANY;
            default -> throw new IllegalArgumentException(
                    "'" + text + "' does not start with tcp, udp, icmp or any");
        };
        if (slash < 0) {
            return new PortSpec(protocol, 0, 65535);
        }
        if (protocol == Protocol.ICMP || protocol == Protocol.ANY) {
            throw new IllegalArgumentException("'" + text + "': " + protoText + " takes no ports");
        }
        String range = t.substring(slash + 1);
        int dash = range.indexOf('-');
        try {
            int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
            if (from < 1 || to > 65535 || from > to) {
                throw new IllegalArgumentException("'" + text + "': ports must be within 1..65535, low to high");
            }
            return new PortSpec(protocol, from, to);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid port or port range");
        }
    }

    public boolean matches(Protocol p, int port) {
        return protocol == Protocol.ANY || (protocol == p && port >= from && port <= to);
    }

    @Override
    public String toString() {
        String name = protocol.name().toLowerCase(Locale.ROOT);
        if (protocol == Protocol.ANY || protocol == Protocol.ICMP || (from == 0 && to == 65535)) {
            return name;
        }
        return from == to ? name + "/" + from : name + "/" + from + "-" + to;
    }
}
