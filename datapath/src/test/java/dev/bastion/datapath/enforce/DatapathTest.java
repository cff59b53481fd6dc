package dev.bastion.datapath.enforce;

import static dev.bastion.datapath.maps.Addresses.ip;
import static dev.bastion.datapath.maps.Addresses.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.datapath.bpf.BpfLink;
import dev.bastion.datapath.maps.EndpointMap.Endpoint;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.VethLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Pinning, adoption after a restart, atomic program replacement and removal, on a veth of a test namespace. */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "loads and attaches eBPF: needs root")
class DatapathTest {
    final Path pins = Datapath.BPFFS_ROOT.resolve("test-" + UUID.randomUUID().toString().substring(0, 8));
    final VethLab lab = new VethLab();
    final int ifindex = NetworkNamespace.call(lab.namespaceA, () -> Interfaces.index(lab.vethA));

    @AfterEach
    void cleanUp() {
        try (Datapath datapath = Datapath.open(pins)) {
            datapath.remove();
        } finally {
            lab.close();
        }
    }

    int attachedXdpProgram() {
        return NetworkNamespace.call(lab.namespaceA, () -> BpfLink.nativeXdpProgramId(ifindex));
    }

    @Test
    void restartedDatapathKeepsStateAndReplacesProgramsWithoutDetaching() {
        Endpoint endpoint = new Endpoint(3, ip("10.0.0.3"), mac("02:00:00:00:00:03"), ip("10.0.0.1"));
        int firstProgram;
        try (Datapath first = Datapath.open(pins)) {
            first.endpoints().put(ifindex, endpoint);
            NetworkNamespace.run(lab.namespaceA, () -> first.attach(Entry.HOST_XDP, ifindex, "host-a"));
            firstProgram = first.program(Entry.HOST_XDP).id();
            assertTrue(Files.exists(pins.resolve("endpoints")));
            assertTrue(Files.exists(pins.resolve("flow_events")));
        }
        assertEquals(firstProgram, attachedXdpProgram(), "still enforcing after the agent's object closed");

        try (Datapath second = Datapath.open(pins)) {
            assertEquals(Optional.of(endpoint), second.endpoints().get(ifindex));
            NetworkNamespace.run(lab.namespaceA, () -> second.attach(Entry.HOST_XDP, ifindex, "host-a"));

            assertEquals(second.program(Entry.HOST_XDP).id(), attachedXdpProgram());
            assertEquals(List.of("host-a"), second.links());
            second.remove();
            assertEquals(0, attachedXdpProgram());
            assertFalse(Files.exists(pins));
        }
    }

    @Test
    void removeCleansUpLinksWhoseInterfaceIsGone() {
        try (Datapath datapath = Datapath.open(pins)) {
            NetworkNamespace.run(lab.namespaceA, () -> datapath.attach(Entry.HOST_TC, ifindex, "gone"));
            lab.close();

            datapath.remove();
            assertFalse(Files.exists(pins));
        }
    }

    @Test
    void tcModeAttachesAsTcxLinkAndDetaches() {
        try (Datapath datapath = Datapath.open(pins)) {
            NetworkNamespace.run(lab.namespaceA, () -> datapath.attach(Entry.HOST_TC, ifindex, "host-a"));

            try (BpfLink link = BpfLink.openPinned(pins.resolve("links").resolve("host-a"))) {
                assertEquals(BpfLink.Info.TCX, link.info().type());
                assertEquals(datapath.program(Entry.HOST_TC).id(), link.info().programId());
            }
            assertTrue(datapath.detach("host-a"));
            assertFalse(datapath.detach("host-a"));
            assertEquals(List.of(), datapath.links());
        }
    }
}
