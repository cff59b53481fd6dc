package dev.bastion.datapath.bpf;

import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.VethLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;

import static dev.bastion.datapath.bpf.TestObjects.SLOT_TEST_RUN;
import static dev.bastion.datapath.bpf.TestObjects.XDP_DROP;
import static dev.bastion.datapath.bpf.TestObjects.XDP_TX;
import static dev.bastion.datapath.bpf.TestObjects.frame;
import static dev.bastion.datapath.bpf.TestObjects.u32;
import static dev.bastion.datapath.bpf.TestObjects.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "runs eBPF programs: needs root")
class BpfProgramTest {
    private BpfObject object;
    private BpfProgram program;

    @BeforeEach
    void load() {
        object = TestObjects.load();
        program = object.program("xdp_test");
    }

    @AfterEach
    void close() {
        object.close();
    }

    @Test
    void returnsTheRewrittenFrameAndTheAction() {
        byte[] frame = frame(50);
        TestRun run = program.testRun(frame, 1);
        assertEquals(XDP_TX, run.retval());
        byte[] expected = frame.clone();
        System.arraycopy(frame, 6, expected, 0, 6);
        System.arraycopy(frame, 0, expected, 6, 6);
        assertArrayEquals(expected, run.output(), "Ethernet addresses swapped, the rest untouched");
        assertTrue(run.averageNanos() >= 0);
    }

    @Test
    void repeatsAndSeesMapUpdates() {
        BpfMap stats = object.map("stats");
        program.testRun(frame(10), 25);
        assertEquals(25, TestObjects.packets(stats, SLOT_TEST_RUN));

        object.map("settings").update(u32(0), u64(XDP_DROP));
        assertEquals(XDP_DROP, program.testRun(frame(10), 1).retval());
        assertThrows(IllegalArgumentException.class, () -> program.testRun(frame(10), 0));
    }

    @Test
    void passesTheIngressInterfaceInTheXdpContext() {
        BpfMap stats = object.map("stats");
        try (VethLab lab = new VethLab()) {
            // The interface must exist in the namespace of the thread that runs the test.
            int ifindex = NetworkNamespace.call(lab.namespaceA, () -> {
                int index = Interfaces.index(lab.vethA);
                program.testRun(frame(10), 1, index);
                return index;
            });
            assertTrue(ifindex > 1, "not the loopback, which test runs without a context use");
            assertEquals(ifindex, TestObjects.ifindex(stats, SLOT_TEST_RUN));
        }
        BpfException noDevice = assertThrows(BpfException.class, () -> program.testRun(frame(10), 1, 1_000_000));
        assertEquals(19, noDevice.errno()); // ENODEV
        assertTrue(noDevice.getMessage().contains("program 'xdp_test'"), noDevice.getMessage());
    }

    @Test
    void pins() throws Exception {
        try (PinDirectory pins = new PinDirectory()) {
            program.pin(pins.resolve("xdp_test"));
            assertTrue(Files.exists(pins.resolve("xdp_test")));
            assertTrue(program.id() > 0);
        }
    }
}
