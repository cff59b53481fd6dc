package dev.bastion.policies.dependency;

import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Set operations on lists of {@link PortSpec}s, each list read as the union of its specs. Results are normalised
 * (sorted by protocol then port, overlapping and adjacent ranges of one protocol merged, anything covered by
 * {@code any} folded into it), so that two equal sets of ports are equal lists.
 */
public final class PortRanges {
    private static final Comparator<PortSpec> ORDER =
            Comparator.comparing(PortSpec::protocol).thenComparingInt(PortSpec::from).thenComparingInt(PortSpec::to);
    private static final List<PortSpec> ANY = List.of(PortSpec.ANY);

    private PortRanges() {
    }

    /** The ports in both {@code a} and {@code b}. */
    public static List<PortSpec> intersect(List<PortSpec> a, List<PortSpec> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return List.of();
        }
        if (a.equals(ANY)) {
            return normalise(b);
        }
        if (b.equals(ANY)) {
            return normalise(a);
        }
        List<PortSpec> out = new ArrayList<>();
        for (PortSpec x : a) {
            for (PortSpec y : b) {
                intersect(x, y).ifPresent(out::add);
            }
        }
        return normalise(out);
    }

    /** The ports two specs share, if any. */
    public static Optional<PortSpec> intersect(PortSpec x, PortSpec y) {
        Protocol protocol;
        if (x.protocol() == Protocol.ANY) {
            protocol = y.protocol();
        } else if (y.protocol() == Protocol.ANY || y.protocol() == x.protocol()) {
            protocol = x.protocol();
        } else {
            return Optional.empty();
        }
        int from = Math.max(x.from(), y.from());
        int to = Math.min(x.to(), y.to());
        return from > to ? Optional.empty() : Optional.of(new PortSpec(protocol, from, to));
    }

    /** True if the two specs have a port in common. */
    public static boolean overlap(PortSpec x, PortSpec y) {
        return intersect(x, y).isPresent();
    }

    /** The ports in {@code a} or {@code b}, in normal form. */
    public static List<PortSpec> union(List<PortSpec> a, List<PortSpec> b) {
        List<PortSpec> both = new ArrayList<>(a);
        both.addAll(b);
        return normalise(both);
    }

    /** The union of the given specs in normal form. */
    public static List<PortSpec> normalise(List<PortSpec> specs) {
        if (specs.size() <= 1) {
            return List.copyOf(specs);
        }
        if (specs.stream().anyMatch(s -> s.protocol() == Protocol.ANY)) {
            return ANY;
        }
        List<PortSpec> sorted = new ArrayList<>(specs);
        sorted.sort(ORDER);
        List<PortSpec> out = new ArrayList<>(sorted.size());
        PortSpec current = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            PortSpec next = sorted.get(i);
            if (next.protocol() == current.protocol() && next.from() <= current.to() + 1) {
                current = new PortSpec(current.protocol(), current.from(), Math.max(current.to(), next.to()));
            } else {
                out.add(current);
                current = next;
            }
        }
        out.add(current);
        return List.copyOf(out);
    }

    /** True if some spec of {@code ports} admits this protocol and port. */
    public static boolean admits(List<PortSpec> ports, Protocol protocol, int port) {
        for (PortSpec spec : ports) {
            if (spec.matches(protocol, port)) {
                return true;
            }
        }
        return false;
    }
}
