package dev.bastion.datapath.bpf;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;
import java.util.List;

import static dev.bastion.datapath.bpf.TestObjects.XDP_DROP;
import static dev.bastion.datapath.bpf.TestObjects.XDP_PASS;
import static dev.bastion.datapath.bpf.TestObjects.XDP_TX;
import static dev.bastion.datapath.bpf.TestObjects.frame;
import static dev.bastion.datapath.bpf.TestObjects.u32;
import static dev.bastion.datapath.bpf.TestObjects.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "loads eBPF programs: needs root")
class BpfObjectTest {

    @Test
    void opensAFileAndRunsItsProgram() {
        try (BpfObject object = BpfObject.open(Path.of("target/classes/bpf/peer_pass.o"))) {
            object.load();
            assertEquals("peer_pass.o", object.name());
            assertEquals(XDP_PASS, object.program("xdp_peer_pass").testRun(frame(50), 1).retval());
        }
    }

    @Test
    void opensAClasspathResourceAndListsItsMapsAndPrograms() {
        try (BpfObject object = TestObjects.load()) {
            assertTrue(object.mapNames().containsAll(List.of("settings", "stats", "events")), object.mapNames().toString());
            assertEquals(List.of("xdp_test", "xdp_count", "xdp_count_v2", "tc_count"), object.programNames());
            assertEquals(MapType.RINGBUF, object.map("events").type());
        }
    }

    @Test
    void namesWhatIsMissing() {
        BpfException missingFile = assertThrows(BpfException.class, () -> BpfObject.open(Path.of("/nonexistent/x.o")));
        assertTrue(missingFile.getMessage().contains("/nonexistent/x.o"), missingFile.getMessage());
        assertEquals(2, missingFile.errno());
        assertThrows(IllegalArgumentException.class, () -> BpfObject.openResource("bpf/nonexistent.o"));
        try (BpfObject object = BpfObject.openResource(TestObjects.RESOURCE)) {
            assertThrows(IllegalStateException.class, () -> object.map("settings"), "map before load");
            object.load();
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> object.map("nope"));
            assertTrue(unknown.getMessage().contains("settings"), unknown.getMessage());
            assertThrows(IllegalArgumentException.class, () -> object.program("nope"));
        }
        BpfObject closed = TestObjects.load();
        BpfMap map = closed.map("settings");
        closed.close();
        assertThrows(IllegalStateException.class, () -> map.lookup(u32(0)), "map of a closed object");
    }

    @Test
    void reportsTheVerifierLogWhenLoadingFails() {
        try (BpfObject object = BpfObject.openResource("bpf/verifier_reject.o")) {
            BpfException e = assertThrows(BpfException.class, object::load);
            assertEquals(13, e.errno(), e.getMessage()); // EACCES: the verifier said no
            assertTrue(e.getMessage().contains("xdp_unchecked"), e.getMessage());
            assertTrue(e.getMessage().contains("invalid access to packet"), e.getMessage());
        }
    }

    @Test
    void adoptsAPinnedMapSoStateSurvivesARestart() throws Exception {
        try (PinDirectory pins = new PinDirectory()) {
            Path pinned = pins.resolve("settings");
            try (BpfObject first = TestObjects.load()) {
                BpfMap settings = first.map("settings");
                settings.update(u32(0), u64(XDP_DROP));
                settings.pin(pinned);
            }
            try (BpfObject second = BpfObject.openResource(TestObjects.RESOURCE)) {
                assertTrue(second.reuseMap("settings", pinned));
                assertFalse(second.reuseMap("stats", pins.resolve("never-pinned")));
                IllegalStateException mismatch = assertThrows(IllegalStateException.class,
                        () -> second.reuseMap("stats", pinned));
                assertTrue(mismatch.getMessage().contains("does not match map 'stats'"), mismatch.getMessage());
                second.load();
                // The program of the new object reads the adopted map: settings[0] = XDP_DROP overrides XDP_TX.
                assertEquals(XDP_DROP, second.program("xdp_test").testRun(frame(20), 1).retval());
                second.map("settings").delete(u32(0));
                assertEquals(XDP_TX, second.program("xdp_test").testRun(frame(20), 1).retval());
                assertThrows(IllegalStateException.class, () -> second.reuseMap("settings", pinned), "after load");
            }
        }
    }
}
