package dev.bastion.datapath.enforce;

import static dev.bastion.datapath.maps.Addresses.ip;
import static dev.bastion.datapath.maps.Addresses.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.datapath.bpf.BpfException;
import dev.bastion.datapath.bpf.BpfObject;
import dev.bastion.datapath.bpf.MapType;
import dev.bastion.datapath.maps.DpiPortMap;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.VethLab;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * dpi_return with BPF_PROG_TEST_RUN (frames "arrive" on the loopback, ifindex 1) and attached to a veth. The
 * redirect into a registered AF_XDP socket needs a real socket: the AF_XDP bridge's tests cover it.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "loads eBPF programs: needs root")
class DpiReturnTest {
    static final int XDP_DROP = 1;
    static final int LOOPBACK = 1;

    BpfObject object;
    DpiPortMap dpiPorts;

    @BeforeEach
    void load() {
        object = BpfObject.openResource(Datapath.OBJECT);
        object.load();
        dpiPorts = new DpiPortMap(object.map(DpiPortMap.PORTS), object.map(DpiPortMap.SOCKETS));
    }

    @AfterEach
    void close() {
        object.close();
    }

    int run() {
        byte[] frame = Frame.ipv4(mac("02:00:00:00:00:02"), mac("02:00:00:00:00:03"), ip("10.0.0.2"), ip("10.0.0.3"))
                .tcp(40000, 80).build();
        return object.program(Entry.DPI_RETURN.program()).testRun(frame, 1).retval();
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    @Test
    void mapsHaveTheShapeOfTheContract() {
        assertEquals(MapType.HASH, object.map(DpiPortMap.PORTS).type());
        assertEquals(DpiPortMap.SLOTS, object.map(DpiPortMap.PORTS).maxEntries());
        assertEquals(MapType.XSKMAP, object.map(DpiPortMap.SOCKETS).type());
        assertEquals(DpiPortMap.SLOTS, object.map(DpiPortMap.SOCKETS).maxEntries());
    }

    @Test
    void frameOnAnUnregisteredInterfaceIsDropped() {
        assertEquals(XDP_DROP, run());

        object.map(DpiPortMap.PORTS).update(u32(LOOPBACK + 1000), u32(0));
        assertEquals(XDP_DROP, run(), "another interface's registration does not apply");
    }

    @Test
    void registeredInterfaceWhoseSlotHasNoSocketDrops() {
        object.map(DpiPortMap.PORTS).update(u32(LOOPBACK), u32(5));

        assertEquals(XDP_DROP, run());
    }

    @Test
    void registrationNeedsAnAfXdpSocketAndAValidSlot() {
        int notASocket = object.map(DpiPortMap.PORTS).fd();

        assertThrows(BpfException.class, () -> dpiPorts.register(LOOPBACK, 3, notASocket));
        assertEquals(Optional.empty(), dpiPorts.slotOf(LOOPBACK), "the interface never points at an empty slot");
        IllegalArgumentException slot = assertThrows(IllegalArgumentException.class,
                () -> dpiPorts.register(LOOPBACK, DpiPortMap.SLOTS, notASocket));
        assertEquals("DPI slot 64 out of range: the datapath has slots 0 to 63", slot.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dpiPorts.register(0, 0, notASocket));
    }

    @Test
    void attachedToAVethItKeepsEveryFrameFromTheHost() {
        Path pins = Datapath.BPFFS_ROOT.resolve("test-" + UUID.randomUUID().toString().substring(0, 8));
        try (VethLab lab = new VethLab(); Datapath datapath = Datapath.open(pins)) {
            try {
                assertTrue(lab.pingAFromB(1), "the control: A answers before dpi_return is attached");
                int ifindex = NetworkNamespace.call(lab.namespaceA, () -> Interfaces.index(lab.vethA));
                NetworkNamespace.run(lab.namespaceA, () -> datapath.attach(Entry.DPI_RETURN, ifindex, "dpi-a"));

                assertFalse(lab.pingAFromB(1), "frames on an unregistered return interface are dropped");
                assertTrue(Files.exists(pins.resolve(DpiPortMap.PORTS)));
                assertTrue(Files.exists(pins.resolve(DpiPortMap.SOCKETS)));
                assertEquals(Optional.empty(), datapath.dpiPorts().slotOf(ifindex));
            } finally {
                datapath.remove();
            }
        }
    }
}
