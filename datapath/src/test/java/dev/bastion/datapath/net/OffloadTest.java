package dev.bastion.datapath.net;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
class OffloadTest {

    @Test
    void turnsTxChecksumOffloadOffAndOnAsEthtoolSeesIt() {
        try (VethLab lab = new VethLab()) {
            String veth = lab.vethA;
            NetworkNamespace.run(lab.namespaceA, () -> {
                assertTrue(Offload.TX_CHECKSUM.enabled(veth), "veth starts with TX checksum offload");
                Offload.TX_CHECKSUM.set(veth, false);
                assertFalse(Offload.TX_CHECKSUM.enabled(veth));
                assertFalse(Offload.TSO.enabled(veth), "TSO needs checksum offload");
            });
            assertTrue(features(lab).contains("tx-checksumming: off"), features(lab));

            NetworkNamespace.run(lab.namespaceA, () -> {
                Offload.TX_CHECKSUM.set(veth, true);
                Offload.GRO.set(veth, true);
            });
            assertTrue(features(lab).contains("tx-checksumming: on"), features(lab));
            assertTrue(features(lab).contains(Offload.GRO.ethtoolName() + ": on"), features(lab));
        }
    }

    @Test
    void namesTheInterfaceItCannotFind() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> Offload.TX_CHECKSUM.enabled("nosuchif0"));
        assertTrue(missing.getMessage().contains("nosuchif0") && missing.getMessage().contains("No such device"),
                missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Offload.GRO.set("a-name-far-too-long", true));
    }

    private static String features(VethLab lab) {
        return VethLab.execIn(lab.namespaceA, "ethtool", "-k", lab.vethA);
    }
}
