package dev.bastion.datapath.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Links, addresses and namespace ids read over rtnetlink, against a veth pair set up with `ip`. */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
class RouteDumpsTest {
    private static final long MAC_A = 0x02420a630001L;
    private static final long MAC_B = 0x02420a630002L;

    @Test
    void aVethsPeerIsFoundInTheNamespaceItsIdNames() {
        try (VethLab lab = new VethLab()) {
            VethLab.execIn(lab.namespaceA, "ip", "link", "set", lab.vethA, "address", "02:42:0a:63:00:01");
            VethLab.execIn(lab.namespaceB, "ip", "link", "set", lab.vethB, "address", "02:42:0a:63:00:02");
            Path fileB = Path.of("/run/netns", lab.namespaceB);

            List<Link> linksA = NetworkNamespace.call(lab.namespaceA, LinkDump::all);
            List<Link> linksB = NetworkNamespace.call(lab.namespaceB, LinkDump::all);
            OptionalInt idOfB = NetworkNamespace.call(lab.namespaceA, () -> NamespaceIds.of(fileB));

            Link vethA = named(linksA, lab.vethA);
            Link vethB = named(linksB, lab.vethB);
            assertEquals(NetworkNamespace.call(lab.namespaceA, () -> Interfaces.index(lab.vethA)), vethA.index());
            assertEquals(OptionalLong.of(MAC_A), vethA.mac());
            assertEquals(OptionalLong.of(MAC_B), vethB.mac());
            assertEquals(Optional.of("veth"), vethA.kind());
            assertTrue(idOfB.isPresent(), "the veth gave B an id in A");
            assertEquals(idOfB, vethA.peerNamespaceId());
            assertEquals(OptionalInt.of(vethB.index()), vethA.peerIndex());

            Link loopback = named(linksA, "lo");
            assertEquals(Optional.empty(), loopback.kind());
            assertEquals(OptionalInt.empty(), loopback.peerIndex(), "the loopback has no peer");
            assertEquals(OptionalInt.empty(), NamespaceIds.of(fileB), "nothing ties this namespace to B");
        }
    }

    @Test
    void listsEachInterfacesIpv4AddressesWithTheirPrefix() {
        try (VethLab lab = new VethLab()) {
            VethLab.execIn(lab.namespaceA, "ip", "addr", "add", "10.98.7.1/16", "dev", lab.vethA);
            int vethA = NetworkNamespace.call(lab.namespaceA, () -> Interfaces.index(lab.vethA));

            List<String> addresses = NetworkNamespace.call(lab.namespaceA, AddressDump::ipv4).stream()
                    .filter(a -> a.index() == vethA)
                    .map(a -> a.address().getHostAddress() + "/" + a.prefixLength()).sorted().toList();

            assertEquals(List.of("10.98.7.1/16", VethLab.IP_A + "/24"), addresses);
            assertTrue(NetworkNamespace.call(lab.namespaceB, AddressDump::ipv4).stream()
                    .noneMatch(a -> a.address().getHostAddress().equals(VethLab.IP_A)), "B's own addresses only");
        }
    }

    @Test
    void aFileThatIsNoNamespaceIsNamed() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> NamespaceIds.of(Path.of("/run/netns/no-such-namespace-x")));
        assertTrue(missing.getMessage().contains("/run/netns/no-such-namespace-x"), missing.getMessage());
    }

    private static Link named(List<Link> links, String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not listed: " + links));
    }
}
