package dev.bastion.agent.attack;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Ipv4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Shared by the discovery attacks: the block of addresses around the attacker that a scan covers, and the verdict
 * on what answered. Discovery works when the attacker learns of containers it has no dependency on; finding its
 * own peer is legitimate.
 */
final class Discovery {
    private Discovery() {
    }

    /** The /{@code length} block holding the attacker (or its whole subnet, if smaller), as CIDR text. */
    static String block(Cast cast, int length) {
        int effective = Math.max(length, cast.network().subnet().length());
        return new Ipv4Address(base(cast, effective)) + "/" + effective;
    }

    /** The host addresses of {@link #block}, without the attacker's own. */
    static List<String> addresses(Cast cast, int length) {
        int effective = Math.max(length, cast.network().subnet().length());
        int base = base(cast, effective);
        int size = 1 << (32 - effective);
        String self = Cast.ip(cast.attacker());
        return IntStream.range(1, size - 1).mapToObj(i -> new Ipv4Address(base + i).toString()).filter(ip -> !ip.equals(self)).toList();
    }

    static Finding judge(AttackLab lab, Collection<String> answered, String tool) {
        Cast cast = lab.cast();
        long others = answered.stream().filter(ip -> !ip.equals(Cast.ip(cast.attacker()))).count();
        List<String> exposed = new ArrayList<>();
        for (Container c : cast.nonDependents()) {
            if (answered.contains(Cast.ip(c))) {
                exposed.add(c.name() + " " + Cast.ip(c));
            }
        }
        return Finding.effect(!exposed.isEmpty(), tool + " from " + cast.attacker().name() + ": "
                + (exposed.isEmpty() ? "no container it has no dependency on answered" : "found " + String.join(", ", exposed))
                + " (" + others + " other address(es) answered in all)");
    }

    private static int base(Cast cast, int length) {
        int mask = length == 0 ? 0 : -1 << (32 - length);
        return cast.attacker().ip().orElseThrow().bits() & mask;
    }
}
