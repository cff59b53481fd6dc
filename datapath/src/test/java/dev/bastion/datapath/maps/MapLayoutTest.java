package dev.bastion.datapath.maps;

import static dev.bastion.datapath.maps.Addresses.ip;
import static dev.bastion.datapath.maps.Addresses.mac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.datapath.maps.EndpointMap.Endpoint;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.maps.ServiceMap.Backend;
import dev.bastion.datapath.maps.ServiceMap.ServiceAddress;
import dev.bastion.datapath.maps.SteeringMap.SteeringRule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Java encodings against the C layouts of maps.h (x86-64/arm64: host order is little-endian). */
class MapLayoutTest {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void endpointIsHostOrderIdThenNetworkOrderAddresses() {
        Endpoint endpoint = new Endpoint(7, ip("10.0.0.2"), mac("02:00:00:00:00:0b"), ip("10.0.0.1"));

        assertEquals("07000000" + "0a000002" + "0a000001" + "02000000000b" + "0000",
                HEX.formatHex(EndpointMap.encode(endpoint)));
        assertEquals(endpoint, EndpointMap.decode(EndpointMap.encode(endpoint)));
        assertEquals("2a000000", HEX.formatHex(Layout.u32(42)));
    }

    @Test
    void containerIdsAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> new Endpoint(0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Endpoint(EndpointMap.MAX_CONTAINERS, 1, 1, 0));
    }

    @Test
    void forwardRoundTripsWithKindCode() {
        Forward remote = Forward.remote(3, mac("02:00:00:00:00:05"), mac("aa:bb:cc:dd:ee:ff"), mac("02:11:22:33:44:55"));
        byte[] bytes = ForwardingMap.encode(remote);

        assertEquals(28, bytes.length);
        assertEquals("03000000" + "00000000" + "0200" + "020000000005" + "aabbccddeeff" + "021122334455",
                HEX.formatHex(bytes));
        assertEquals(remote, ForwardingMap.decode(bytes));
        assertEquals("0a000003", HEX.formatHex(ForwardingMap.ip(ip("10.0.0.3"))));
    }

    @Test
    void portRangesAreHostOrderWithProtocolAndDirection() {
        List<PortRange> ranges = List.of(new PortRange(IpProtocol.TCP, 80, 443, Direction.EGRESS),
                PortRange.any(IpProtocol.UDP, Direction.INGRESS));
        byte[] bytes = PeerPolicyMap.encode(ranges);

        assertEquals(4 + 16 * 8, bytes.length);
        assertEquals("02000000" + "5000bb01" + "0601" + "0000" + "0000ffff" + "1102" + "0000",
                HEX.formatHex(bytes, 0, 20));
        assertEquals(ranges, PeerPolicyMap.decode(bytes));
        assertEquals("07000000" + "0a000003", HEX.formatHex(PeerPolicyMap.key(7, ip("10.0.0.3"))));
    }

    @Test
    void tooManyRangesAreRefusedWithAHint() {
        List<PortRange> ranges = Collections.nCopies(17, new PortRange(IpProtocol.TCP, 1, 1, Direction.EGRESS));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PeerPolicyMap.encode(ranges));
        assertEquals("17 port ranges for one peer; the datapath holds 16 (merge adjacent ranges)", error.getMessage());
    }

    @Test
    void gatewayKeysCarryKindAndAddress() {
        assertEquals("07000000" + "0100" + "0a000001" + "0000", HEX.formatHex(GatewayMap.ipKey(7, ip("10.0.0.1"))));
        assertEquals("07000000" + "0200" + "0242ac000001", HEX.formatHex(GatewayMap.macKey(7, mac("02:42:ac:00:00:01"))));
    }

    @Test
    void serviceKeysAndBackendsUseNetworkOrderPorts() {
        ServiceAddress service = new ServiceAddress(ip("10.96.0.10"), 8000, IpProtocol.TCP);
        List<Backend> backends = List.of(new Backend(ip("10.0.0.3"), 8081), new Backend(ip("10.0.0.4"), 8081));

        assertEquals("0a60000a" + "1f40" + "06" + "00", HEX.formatHex(ServiceMap.key(service)));
        assertEquals("02000000" + "0a000003" + "1f91" + "0000", HEX.formatHex(ServiceMap.encode(backends), 0, 12));
        assertEquals(backends, ServiceMap.decode(ServiceMap.encode(backends)));
        assertThrows(IllegalArgumentException.class, () -> ServiceMap.encode(List.of()));
    }

    @Test
    void steeringRulesAreHostOrderRangesWithChain() {
        List<SteeringRule> rules = List.of(new SteeringRule(IpProtocol.TCP, 80, 80, 3),
                new SteeringRule(IpProtocol.ICMP, 0, 0xffff, 4));
        byte[] bytes = SteeringMap.encode(rules);

        assertEquals(4 + 16 * 12, bytes.length);
        assertEquals("02000000" + "50005000" + "06" + "00" + "0000" + "03000000", HEX.formatHex(bytes, 0, 16));
        assertEquals(rules, SteeringMap.decode(bytes));
    }

    @Test
    void flowKeyIsNetworkOrderAndReverses() {
        FlowKey flow = new FlowKey(ip("10.0.0.2"), ip("10.0.0.3"), 40000, 80, 6);

        assertEquals("0a000002" + "0a000003" + "9c40" + "0050" + "06" + "000000", HEX.formatHex(flow.encode()));
        assertEquals(new FlowKey(ip("10.0.0.3"), ip("10.0.0.2"), 80, 40000, 6), flow.reversed());
    }

    @Test
    void flowEventDecodesTheRingBufferRecord() {
        ByteBuffer record = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder()).putLong(123456789L).putInt(7);
        record.put(HEX.parseHex("0a000002" + "0a000003" + "9c40" + "0050" + "06"));
        record.put((byte) 1).putShort((short) 20).putInt(0).flip();

        assertEquals(new FlowEvent(123456789L, 7, new FlowKey(ip("10.0.0.2"), ip("10.0.0.3"), 40000, 80, 6),
                Verdict.DROP, Reason.PORT_DENIED), FlowEvent.decode(record));
    }

    @Test
    void countersSumAllCpus() {
        ByteBuffer perCpu = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder()).putLong(2).putLong(100).putLong(3)
                .putLong(50);

        assertEquals(new CounterMap.Counter(5, 150), CounterMap.sum(perCpu.array()));
    }

    @Test
    void reasonsMatchReasonsH() throws Exception {
        Map<String, Integer> inC = new HashMap<>();
        Matcher matcher = Pattern.compile("REASON_(\\w+) = (\\d+),")
                .matcher(Files.readString(Path.of("src/main/bpf/reasons.h")));
        while (matcher.find()) {
            inC.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
        }
        Map<String, Integer> inJava = new HashMap<>();
        for (Reason reason : Reason.values()) {
            inJava.put(reason.name(), reason.code());
        }

        assertEquals(inC, inJava);
    }

    @Test
    void dpiPortsAreHostOrderIfindexToSlotWithinMapsH() throws Exception {
        assertEquals("2a000000", HEX.formatHex(DpiPortMap.ifindex(42)));
        assertEquals("3f000000", HEX.formatHex(DpiPortMap.slot(63)));
        assertThrows(IllegalArgumentException.class, () -> DpiPortMap.slot(-1));
        Matcher max = Pattern.compile("#define MAX_DPI_PORTS (\\d+)")
                .matcher(Files.readString(Path.of("src/main/bpf/maps.h")));
        assertTrue(max.find(), "maps.h defines MAX_DPI_PORTS");
        assertEquals(DpiPortMap.SLOTS, Integer.parseInt(max.group(1)));
    }

    @Test
    void addressesParseAndPrint() {
        assertEquals(0x0a000002, ip("10.0.0.2"));
        assertEquals("10.0.0.2", Addresses.ipText(0x0a000002));
        assertEquals("02:42:ac:00:00:01", Addresses.macText(mac("02:42:ac:00:00:01")));
        assertThrows(IllegalArgumentException.class, () -> ip("10.0.0.256"));
        assertArrayEquals(new byte[] {10, 0, 0, 2}, ForwardingMap.ip(ip("10.0.0.2")));
    }
}
