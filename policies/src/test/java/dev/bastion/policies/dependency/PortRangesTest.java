package dev.bastion.policies.dependency;

import static dev.bastion.policies.dependency.Fixtures.ports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.model.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortRangesTest {

    @Test
    void anyIntersectedWithPortsIsThosePorts() {
        assertEquals(ports("tcp/80", "udp/53"), PortRanges.intersect(ports("any"), ports("udp/53", "tcp/80")));
    }

    @Test
    void rangesOfOneProtocolIntersect() {
        assertEquals(ports("tcp/90-100"), PortRanges.intersect(ports("tcp/80-100"), ports("tcp/90-200", "udp/80-100")));
        assertEquals(List.of(), PortRanges.intersect(ports("tcp/80"), ports("udp/80")));
        assertEquals(ports("tcp/443"), PortRanges.intersect(ports("tcp"), ports("tcp/443")));
    }

    @Test
    void normaliseMergesOverlappingAndAdjacentRanges() {
        assertEquals(ports("tcp/80-95", "udp/53"), PortRanges.normalise(ports("udp/53", "tcp/90-95", "tcp/80-89", "tcp/85")));
        assertEquals(ports("any"), PortRanges.normalise(ports("tcp/80", "any")));
    }

    @Test
    void admitsMatchesProtocolAndPort() {
        assertTrue(PortRanges.admits(ports("tcp/80-90"), Protocol.TCP, 85));
        assertFalse(PortRanges.admits(ports("tcp/80-90"), Protocol.UDP, 85));
        assertTrue(PortRanges.admits(ports("any"), Protocol.ICMP, 0));
    }
}
