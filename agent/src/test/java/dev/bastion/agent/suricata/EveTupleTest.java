package dev.bastion.agent.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EveTupleTest {

    @Test
    void namesTheIpProtocolOfSuricatasSpelling() {
        assertEquals(6, tuple("TCP").protocolNumber());
        assertEquals(17, tuple("UDP").protocolNumber());
        assertEquals(1, tuple("ICMP").protocolNumber());
        assertEquals(6, tuple("tcp").protocolNumber());
        assertEquals(0, tuple("IPv6-ICMP").protocolNumber(), "a protocol the datapath has no flows of");
    }

    private static EveTuple tuple(String proto) {
        return new EveTuple("10.0.0.1", 40000, "10.0.0.2", 80, proto);
    }
}
