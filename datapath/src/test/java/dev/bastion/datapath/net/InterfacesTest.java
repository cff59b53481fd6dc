package dev.bastion.datapath.net;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterfacesTest {

    @Test
    void findsTheLoopback() {
        assertEquals(1, Interfaces.index("lo"));
        assertEquals("lo", Interfaces.name(1));
    }

    @Test
    void namesWhatItCannotFind() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Interfaces.index("nosuchif0"));
        assertTrue(e.getMessage().contains("nosuchif0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Interfaces.name(1_000_000));
    }

    @Test
    @Tag("root")
    @EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
    void looksUpInTheNamespaceOfTheCallingThread() {
        try (VethLab lab = new VethLab()) {
            assertThrows(IllegalArgumentException.class, () -> Interfaces.index(lab.vethA), "not in this namespace");
            int index = NetworkNamespace.call(lab.namespaceA, () -> Interfaces.index(lab.vethA));
            assertEquals(lab.vethA, NetworkNamespace.call(lab.namespaceA, () -> Interfaces.name(index)));
            IllegalArgumentException noNamespace = assertThrows(IllegalArgumentException.class,
                    () -> NetworkNamespace.call("no-such-namespace-x", () -> 1));
            assertTrue(noNamespace.getMessage().contains("/run/netns/no-such-namespace-x"), noNamespace.getMessage());
        }
    }

    @Test
    @Tag("root")
    @EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
    void readsAnInterfacesMac() {
        try (VethLab lab = new VethLab()) {
            VethLab.execIn(lab.namespaceA, "ip", "link", "set", lab.vethA, "address", "02:42:0a:63:00:01");
            assertEquals(0x02420a630001L, NetworkNamespace.call(lab.namespaceA, () -> Interfaces.mac(lab.vethA)));
            assertEquals(0L, Interfaces.mac("lo"));
            assertThrows(IllegalStateException.class, () -> Interfaces.mac("nosuchif0"));
        }
    }
}
