package dev.bastion.datapath.bpf;

import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.VethLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;

import static dev.bastion.datapath.bpf.TestObjects.SLOT_TC_COUNT;
import static dev.bastion.datapath.bpf.TestObjects.SLOT_XDP_COUNT;
import static dev.bastion.datapath.bpf.TestObjects.SLOT_XDP_COUNT_V2;
import static dev.bastion.datapath.bpf.TestObjects.packets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "attaches eBPF programs to veths in network namespaces: needs root")
class BpfLinkTest {
    private VethLab lab;
    private BpfObject object;
    private PinDirectory pins;

    @BeforeEach
    void setUp() {
        lab = new VethLab();
        object = TestObjects.load();
        pins = new PinDirectory();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            object.close();
            pins.close();
        } finally {
            lab.close();
        }
    }

    @Test
    void attachesXdpNativelyReplacesItAtomicallyAndOutlivesTheProcessWhenPinned() {
        BpfProgram count = object.program("xdp_count");
        BpfProgram countV2 = object.program("xdp_count_v2");
        BpfMap stats = object.map("stats");
        int ifindex = inA(() -> Interfaces.index(lab.vethA));
        BpfLink link = inA(() -> BpfLink.attachXdp(count, ifindex));
        assertEquals(count.id(), inA(() -> BpfLink.nativeXdpProgramId(ifindex)), "native mode");
        BpfLink.Info info = link.info();
        assertEquals(BpfLink.Info.XDP, info.type());
        assertEquals(count.id(), info.programId());
        assertEquals(ifindex, info.ifindex());

        assertTrue(lab.pingAFromB(3));
        long counted = packets(stats, SLOT_XDP_COUNT);
        assertTrue(counted >= 3, "the program saw the echo requests: " + counted);

        link.update(countV2);
        assertTrue(lab.pingAFromB(3));
        assertEquals(counted, packets(stats, SLOT_XDP_COUNT), "the old program no longer runs");
        assertTrue(packets(stats, SLOT_XDP_COUNT_V2) >= 3, "the new one does");

        // Pinned link and map survive everything this process holds: the datapath keeps running.
        int v2 = countV2.id();
        link.pin(pins.resolve("link"));
        stats.pin(pins.resolve("stats"));
        link.close();
        object.close();
        assertEquals(v2, inA(() -> BpfLink.nativeXdpProgramId(ifindex)), "still attached");
        try (BpfMap pinnedStats = BpfMap.openPinned(pins.resolve("stats"));
             BpfLink pinned = BpfLink.openPinned(pins.resolve("link"))) {
            long before = packets(pinnedStats, SLOT_XDP_COUNT_V2);
            assertTrue(lab.pingAFromB(2));
            assertTrue(packets(pinnedStats, SLOT_XDP_COUNT_V2) >= before + 2, "still counting");
            assertEquals(v2, pinned.info().programId());

            pinned.detach();
            assertEquals(0, inA(() -> BpfLink.nativeXdpProgramId(ifindex)), "detached");
            assertEquals(0, pinned.info().ifindex());
        }
    }

    @Test
    void refusesWhatCannotRunNatively() {
        BpfProgram count = object.program("xdp_count");
        int loopback = inA(() -> Interfaces.index("lo"));
        BpfException noNative = assertThrows(BpfException.class, () -> inA(() -> BpfLink.attachXdp(count, loopback)));
        assertTrue(noNative.getMessage().contains("interface lo") && noNative.getMessage().contains("no native XDP"),
                noNative.getMessage());
        assertEquals(0, inA(() -> BpfLink.nativeXdpProgramId(loopback)), "no generic fallback");

        int ifindex = inA(() -> Interfaces.index(lab.vethA));
        try (BpfLink first = inA(() -> BpfLink.attachXdp(count, ifindex))) {
            BpfException busy = assertThrows(BpfException.class, () -> inA(() -> BpfLink.attachXdp(count, ifindex)));
            assertTrue(busy.getMessage().contains("already has an XDP program"), busy.getMessage());
            assertEquals(count.id(), first.info().programId());
        }
        assertEquals(0, inA(() -> BpfLink.nativeXdpProgramId(ifindex)), "closing an unpinned link detaches");
        assertThrows(IllegalArgumentException.class, () -> BpfLink.attachXdp(object.program("tc_count"), ifindex));
        assertThrows(IllegalArgumentException.class, () -> BpfLink.attachTcIngress(count, ifindex));
    }

    @Test
    void attachesTcIngressAsATcxLink() {
        BpfMap stats = object.map("stats");
        int ifindex = inA(() -> Interfaces.index(lab.vethA));
        try (BpfLink link = inA(() -> BpfLink.attachTcIngress(object.program("tc_count"), ifindex))) {
            assertEquals(BpfLink.Info.TCX, link.info().type());
            assertEquals(ifindex, link.info().ifindex());
            assertTrue(lab.pingAFromB(3));
            assertTrue(packets(stats, SLOT_TC_COUNT) >= 3, "tc ingress saw the echo requests");
            assertEquals(ifindex, TestObjects.ifindex(stats, SLOT_TC_COUNT));

            Path pin = pins.resolve("tcx");
            link.pin(pin);
            stats.pin(pins.resolve("stats"));
            assertThrows(IllegalArgumentException.class, () -> BpfMap.openPinned(pin), "a link is no map");
            assertThrows(IllegalArgumentException.class, () -> BpfLink.openPinned(pins.resolve("stats")));
            try (BpfLink pinned = BpfLink.openPinned(pin)) {
                assertEquals(link.info().id(), pinned.info().id());
                pinned.detach();
            }
            long detached = packets(stats, SLOT_TC_COUNT);
            assertTrue(lab.pingAFromB(2));
            assertEquals(detached, packets(stats, SLOT_TC_COUNT), "nothing counted after detach");
        }
    }

    private <T> T inA(java.util.function.Supplier<T> action) {
        return NetworkNamespace.call(lab.namespaceA, action);
    }
}
