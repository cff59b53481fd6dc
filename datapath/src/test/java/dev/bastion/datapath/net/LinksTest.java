package dev.bastion.datapath.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Veth pairs made over rtnetlink in a test namespace, observed through Interfaces and `ip`. */
class LinksTest {
    private VethLab lab;
    private String name;
    private String peer;

    @BeforeEach
    void names() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        name = "bdpa" + suffix;
        peer = "bdpb" + suffix;
    }

    @AfterEach
    void removeNamespaces() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void refusesBadNamesBeforeAnySyscall() {
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> Links.createVethPair("a-name-of-16-chr", "b0"));
        assertTrue(tooLong.getMessage().contains("'a-name-of-16-chr'"), tooLong.getMessage());
        IllegalArgumentException badPeer = assertThrows(IllegalArgumentException.class,
                () -> Links.createVethPair("ok0", "bad/name"));
        assertTrue(badPeer.getMessage().contains("'bad/name'"), badPeer.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Links.setUp(""));
        assertThrows(IllegalArgumentException.class, () -> Ipv6.disable(".."));
    }

    @Test
    @Tag("root")
    @EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
    void createsRaisesAndDeletesAVethPairInTheCallingThreadsNamespace() {
        lab = new VethLab();
        NetworkNamespace.run(lab.namespaceA, () -> Links.createVethPair(name, peer));

        assertFalse(Interfaces.exists(name), "created in the test namespace, not here");
        int index = NetworkNamespace.call(lab.namespaceA, () -> Interfaces.index(name));
        int peerIndex = NetworkNamespace.call(lab.namespaceA, () -> Interfaces.index(peer));
        assertNotEquals(index, peerIndex);
        assertTrue(NetworkNamespace.call(lab.namespaceA, () -> Interfaces.exists(peer)));
        assertTrue(link(peer).contains(peer + "@" + name), "the two are one pair: " + link(peer));
        assertTrue(link(name).contains("state DOWN"), link(name));

        NetworkNamespace.run(lab.namespaceA, () -> Links.setUp(name));
        assertTrue(flags(name).contains(",UP"), link(name));
        assertFalse(flags(name).contains("LOWER_UP"), "the peer is still down: " + link(name));
        NetworkNamespace.run(lab.namespaceA, () -> Links.setUp(peer));
        awaitOperstateUp(name);
        awaitOperstateUp(peer);

        assertTrue(NetworkNamespace.call(lab.namespaceA, () -> Links.delete(peer)));
        assertFalse(NetworkNamespace.call(lab.namespaceA, () -> Interfaces.exists(name)), "both ends are gone");
        assertFalse(NetworkNamespace.call(lab.namespaceA, () -> Interfaces.exists(peer)));
        assertFalse(NetworkNamespace.call(lab.namespaceA, () -> Links.delete(name)), "nothing left to delete");
    }

    @Test
    @Tag("root")
    @EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
    void aTakenNameIsRefusedWithTheInterfaceAndReason() {
        lab = new VethLab();
        NetworkNamespace.run(lab.namespaceA, () -> Links.createVethPair(name, peer));

        NetlinkException duplicate = assertThrows(NetlinkException.class,
                () -> NetworkNamespace.run(lab.namespaceA, () -> Links.createVethPair(name, peer)));
        assertEquals("veth pair " + name + "/" + peer + ": File exists", duplicate.getMessage());
        assertEquals(17, duplicate.errno());
        NetlinkException missing = assertThrows(NetlinkException.class, () -> Links.setUp(name));
        assertEquals("setting " + name + " up: No such device", missing.getMessage());
    }

    @Test
    @Tag("root")
    @EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
    void anInterfaceWithIpv6DisabledComesUpWithoutALinkLocalAddress() {
        lab = new VethLab();
        NetworkNamespace.run(lab.namespaceA, () -> {
            Links.createVethPair(name, peer);
            Ipv6.disable(name);
            Links.setUp(name);
            Links.setUp(peer);
        });
        awaitOperstateUp(name);
        awaitLinkLocal(peer);

        assertEquals("1", VethLab.execIn(lab.namespaceA, "cat", "/proc/sys/net/ipv6/conf/" + name + "/disable_ipv6")
                .strip());
        assertEquals("", VethLab.execIn(lab.namespaceA, "ip", "-6", "-o", "addr", "show", "dev", name).strip());
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class, () -> Ipv6.disable(name),
                "not in this namespace");
        assertTrue(absent.getMessage().contains(name), absent.getMessage());
    }

    private String link(String interfaceName) {
        return VethLab.execIn(lab.namespaceA, "ip", "-o", "link", "show", "dev", interfaceName);
    }

    private String flags(String interfaceName) {
        String line = link(interfaceName);
        return line.substring(line.indexOf('<'), line.indexOf('>') + 1);
    }

    /** Operstate follows the carrier through the kernel's link watch, a moment after both ends are up. */
    private void awaitOperstateUp(String interfaceName) {
        await(() -> link(interfaceName).contains("state UP"), interfaceName + " operationally up");
    }

    /** The control: the peer, with IPv6 on, gets its fe80:: address once up. */
    private void awaitLinkLocal(String interfaceName) {
        await(() -> VethLab.execIn(lab.namespaceA, "ip", "-6", "-o", "addr", "show", "dev", interfaceName)
                .contains("fe80::"), interfaceName + " has a link-local address");
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }
}
