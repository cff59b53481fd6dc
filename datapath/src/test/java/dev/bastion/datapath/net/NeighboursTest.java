package dev.bastion.datapath.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The neighbour table read over rtnetlink, and entries the kernel is asked to keep resolved, on a veth pair. */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
class NeighboursTest {
    private static final long MAC_B = 0x02420a630002L;

    @Test
    void aManagedNeighbourIsResolvedByTheKernelWithoutTraffic() throws Exception {
        try (VethLab lab = new VethLab()) {
            VethLab.execIn(lab.namespaceB, "ip", "link", "set", lab.vethB, "address", "02:42:0a:63:00:02");
            Inet4Address b = (Inet4Address) InetAddress.getByName(VethLab.IP_B);
            int vethA = NetworkNamespace.call(lab.namespaceA, () -> Interfaces.index(lab.vethA));
            assertEquals(Optional.empty(), NetworkNamespace.call(lab.namespaceA, () -> entry(vethA, b)),
                    "nothing was sent to B yet");

            NetworkNamespace.run(lab.namespaceA, () -> Neighbours.manage(vethA, b));

            Neighbour resolved = await(() -> NetworkNamespace.call(lab.namespaceA, () -> entry(vethA, b))
                    .filter(Neighbour::resolved));
            assertEquals(OptionalLong.of(MAC_B), resolved.mac(), "B's MAC, learnt by the kernel's own ARP");
            assertTrue(resolved.managed());
            assertEquals(vethA, resolved.index());
        }
    }

    @Test
    void aNeighbourNobodyAnswersForStaysUnresolved() throws Exception {
        try (VethLab lab = new VethLab()) {
            Inet4Address absent = (Inet4Address) InetAddress.getByName("10.99.0.77");
            int vethA = NetworkNamespace.call(lab.namespaceA, () -> Interfaces.index(lab.vethA));

            NetworkNamespace.run(lab.namespaceA, () -> Neighbours.manage(vethA, absent));

            Neighbour entry = NetworkNamespace.call(lab.namespaceA, () -> entry(vethA, absent))
                    .orElseThrow(() -> new AssertionError("the managed entry is listed"));
            assertFalse(entry.resolved());
            assertEquals(OptionalLong.empty(), entry.mac());
            assertTrue(entry.managed());
            assertTrue(NetworkNamespace.call(lab.namespaceB, NeighbourDump::ipv4).stream()
                    .noneMatch(n -> n.address().equals(absent)), "B's table is its own");
        }
    }

    /** The entry of the calling thread's namespace for {@code address} on interface {@code index}. */
    private static Optional<Neighbour> entry(int index, Inet4Address address) {
        return NeighbourDump.ipv4().stream().filter(n -> n.index() == index && n.address().equals(address))
                .findFirst();
    }

    private static <T> T await(Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not resolved within 5 s");
    }
}
