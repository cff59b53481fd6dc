package dev.bastion.datapath.enforce;

import static dev.bastion.datapath.maps.Addresses.ip;
import static dev.bastion.datapath.maps.Addresses.mac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.datapath.bpf.BpfObject;
import dev.bastion.datapath.bpf.TestRun;
import dev.bastion.datapath.maps.CounterMap;
import dev.bastion.datapath.maps.EndpointMap;
import dev.bastion.datapath.maps.FlowEvent;
import dev.bastion.datapath.maps.FlowEvents;
import dev.bastion.datapath.maps.FlowKey;
import dev.bastion.datapath.maps.EndpointMap.Endpoint;
import dev.bastion.datapath.maps.ForwardingMap;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.GatewayMap;
import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.OverrideMap;
import dev.bastion.datapath.maps.PeerPolicyMap;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.maps.ServiceMap;
import dev.bastion.datapath.maps.ServiceMap.Backend;
import dev.bastion.datapath.maps.ServiceMap.ServiceAddress;
import dev.bastion.datapath.maps.SettingsMap;
import dev.bastion.datapath.maps.SteeringMap;
import dev.bastion.datapath.maps.SteeringMap.SteeringRule;
import dev.bastion.datapath.maps.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Drives crafted frames through both entry points of bastion.o with BPF_PROG_TEST_RUN. Frames "arrive" on the
 * loopback interface (ifindex 1), which is where the test registers container A.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "loads eBPF programs: needs root")
class BastionProgramTest {
    static final int INGRESS = 1;
    static final int A_ID = 7;
    static final int A_IP = ip("10.0.0.2");
    static final long A_MAC = mac("02:00:00:00:00:02");
    static final int B_ID = 8;
    static final int B_IP = ip("10.0.0.3");
    static final long B_MAC = mac("02:00:00:00:00:03");
    static final int B_HOST_IFINDEX = 42;
    static final int A_HOST_IFINDEX = 41;
    static final int GATEWAY_IP = ip("10.0.0.1");
    static final long GATEWAY_MAC = mac("02:42:ac:00:00:01");
    static final int STRANGER_IP = ip("10.0.0.9");
    static final int C_IP = ip("10.1.0.5");
    static final long C_MAC = mac("02:00:00:01:00:05");
    static final int EXTERNAL_IFINDEX = 3;
    static final long EXTERNAL_MAC = mac("52:54:00:00:00:01");
    static final long OTHER_NODE_MAC = mac("52:54:00:00:00:02");
    static final int HOST_IP = ip("10.0.0.254");
    static final int DNS_IP = ip("10.96.0.53");
    static final int SERVICE_IP = ip("10.96.0.10");
    static final int SERVICE_PORT = 8000;
    static final int BACKEND_PORT = 8081;

    BpfObject object;
    EndpointMap endpoints;
    CounterMap counters;

    @BeforeEach
    void load() {
        object = BpfObject.openResource("bpf/bastion.o");
        object.load();
        endpoints = new EndpointMap(object.map(EndpointMap.NAME));
        counters = new CounterMap(object.map(CounterMap.NAME));
        endpoints.put(INGRESS, new Endpoint(A_ID, A_IP, A_MAC, GATEWAY_IP));
        new ForwardingMap(object.map(ForwardingMap.NAME)).putAll(Map.of(
                A_IP, Forward.local(A_HOST_IFINDEX, A_ID, A_MAC),
                B_IP, Forward.local(B_HOST_IFINDEX, B_ID, B_MAC),
                GATEWAY_IP, Forward.host(GATEWAY_MAC),
                C_IP, Forward.remote(EXTERNAL_IFINDEX, C_MAC, OTHER_NODE_MAC, EXTERNAL_MAC),
                HOST_IP, Forward.host(mac("02:42:ac:00:00:fe"))));
        PeerPolicyMap peers = new PeerPolicyMap(object.map(PeerPolicyMap.NAME));
        peers.put(A_ID, B_IP, List.of(
                new PortRange(IpProtocol.TCP, 80, 80, Direction.EGRESS),
                new PortRange(IpProtocol.TCP, BACKEND_PORT, BACKEND_PORT, Direction.EGRESS),
                new PortRange(IpProtocol.TCP, 8080, 8080, Direction.INGRESS),
                PortRange.any(IpProtocol.UDP, Direction.EGRESS)));
        peers.put(B_ID, A_IP, List.of(new PortRange(IpProtocol.TCP, BACKEND_PORT, BACKEND_PORT, Direction.INGRESS),
                new PortRange(IpProtocol.UDP, 5353, 5353, Direction.INGRESS)));
        peers.put(A_ID, C_IP, List.of(new PortRange(IpProtocol.TCP, 80, 80, Direction.EGRESS),
                PortRange.any(IpProtocol.ICMP, Direction.EGRESS)));
        peers.put(A_ID, HOST_IP, List.of(new PortRange(IpProtocol.TCP, 53, 53, Direction.EGRESS)));
        new GatewayMap(object.map(GatewayMap.NAME)).denyAll(A_ID, Set.of(GATEWAY_IP), Set.of(GATEWAY_MAC));
        ServiceMap services = new ServiceMap(object.map(ServiceMap.NAME));
        services.put(new ServiceAddress(SERVICE_IP, SERVICE_PORT, IpProtocol.TCP), List.of(new Backend(B_IP, BACKEND_PORT)));
        services.put(new ServiceAddress(DNS_IP, 53, IpProtocol.UDP), List.of(new Backend(B_IP, 5353)));
    }

    @AfterEach
    void close() {
        object.close();
    }

    TestRun run(Hook hook, byte[] frame) {
        return object.program(hook.program).testRun(frame, 1);
    }

    void assertCounted(int id, Reason reason) {
        assertEquals(1, counters.read(id, reason).packets(), () -> "counters of " + id + ": " + counters.read(id));
    }

    static Frame fromA(int dstIp, long dstMac) {
        return Frame.ipv4(A_MAC, dstMac, A_IP, dstIp);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void allowedPacketIsRedirectedToThePeer(Hook hook) {
        TestRun run = run(hook, fromA(B_IP, B_MAC).tcp(40000, 80).build());

        assertEquals(hook.redirect, run.retval());
        assertEquals(B_MAC, Frame.mac(run.output(), 0));
        assertCounted(A_ID, Reason.FORWARD_LOCAL);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void spoofedSourceMacIsDropped(Hook hook) {
        TestRun run = run(hook, Frame.ipv4(mac("02:00:00:00:00:66"), B_MAC, A_IP, B_IP).tcp(40000, 80).build());

        assertEquals(hook.drop, run.retval());
        assertCounted(A_ID, Reason.SPOOFED_MAC);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void spoofedSourceIpIsDropped(Hook hook) {
        TestRun run = run(hook, Frame.ipv4(A_MAC, B_MAC, ip("10.0.0.66"), B_IP).tcp(40000, 80).build());

        assertEquals(hook.drop, run.retval());
        assertCounted(A_ID, Reason.SPOOFED_IP);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void frameFromAnInterfaceWithoutContainerIsDropped(Hook hook) {
        endpoints.remove(INGRESS);
        endpoints.put(99, new Endpoint(A_ID, A_IP, A_MAC, GATEWAY_IP));

        TestRun run = run(hook, fromA(B_IP, B_MAC).tcp(40000, 80).build());

        assertEquals(hook.drop, run.retval());
        assertCounted(0, Reason.UNKNOWN_IFINDEX);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void truncatedHeadersAreDropped(Hook hook) {
        byte[] frame = fromA(B_IP, B_MAC).tcp(40000, 80).build();

        byte[] headerBeyondFrame = frame.clone();
        headerBeyondFrame[Frame.IP_OFFSET] = 0x4f;
        byte[] lengthBeyondFrame = frame.clone();
        lengthBeyondFrame[Frame.IP_OFFSET + 2] = 0x10;

        assertEquals(hook.drop, run(hook, Arrays.copyOf(frame, 14 + 20 + 10)).retval());
        assertEquals(hook.drop, run(hook, headerBeyondFrame).retval());
        assertEquals(hook.drop, run(hook, lengthBeyondFrame).retval());
        assertEquals(3, counters.read(A_ID, Reason.MALFORMED).packets());
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void portsAreReadAfterIpOptions(Hook hook) {
        byte[] nops = {1, 1, 1, 1, 1, 1, 1, 0};

        assertEquals(hook.redirect, run(hook, fromA(B_IP, B_MAC).options(nops).tcp(40000, 80).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(B_IP, B_MAC).options(nops).tcp(80, 22).build()).retval());
        assertCounted(A_ID, Reason.FORWARD_LOCAL);
        assertCounted(A_ID, Reason.PORT_DENIED);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void laterFragmentsPassOnlyWhereAnyPortIsAllowed(Hook hook) {
        assertEquals(hook.redirect, run(hook, fromA(B_IP, B_MAC).tcp(40000, 80).fragment(0, true).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(B_IP, B_MAC).tcp(40000, 22).fragment(0, true).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(B_IP, B_MAC).tcp(40000, 80).fragment(100, false).build()).retval());
        assertEquals(hook.redirect, run(hook, fromA(B_IP, B_MAC).udp(5000, 53).fragment(100, false).build()).retval());
        assertCounted(A_ID, Reason.FRAGMENT);
        assertCounted(A_ID, Reason.PORT_DENIED);
        assertEquals(2, counters.read(A_ID, Reason.FORWARD_LOCAL).packets());
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void ipv6VlanAndOtherEthertypesAreDropped(Hook hook) {
        byte[] payload = new byte[60];

        assertEquals(hook.drop, run(hook, Frame.ethernet(B_MAC, A_MAC, Frame.ETH_IPV6, payload)).retval());
        assertEquals(hook.drop, run(hook, Frame.ethernet(B_MAC, A_MAC, Frame.ETH_VLAN, payload)).retval());
        assertEquals(hook.drop, run(hook, Frame.ethernet(B_MAC, A_MAC, 0x88cc, payload)).retval());
        assertCounted(A_ID, Reason.IPV6);
        assertCounted(A_ID, Reason.VLAN);
        assertCounted(A_ID, Reason.ETHERTYPE);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void arpRequestForAPeerIsAnsweredInPlace(Hook hook) {
        TestRun run = run(hook, Frame.arp(A_MAC, 1, A_MAC, A_IP, 0, B_IP));

        assertEquals(hook.tx, run.retval());
        assertArrayEquals(Frame.concat(
                Frame.ethernet(A_MAC, B_MAC, Frame.ETH_ARP, new byte[0]),
                new byte[] {0, 1, 8, 0, 6, 4, 0, 2},
                macBytes(B_MAC), ipBytes(B_IP), macBytes(A_MAC), ipBytes(A_IP)),
                Arrays.copyOf(run.output(), 42));
        assertCounted(A_ID, Reason.ARP_REPLIED);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void otherArpIsDropped(Hook hook) {
        assertEquals(hook.drop, run(hook, Frame.arp(A_MAC, 1, A_MAC, A_IP, 0, STRANGER_IP)).retval());
        assertEquals(hook.drop, run(hook, Frame.arp(A_MAC, 1, A_MAC, A_IP, 0, ip("10.0.0.253"))).retval());
        assertEquals(hook.drop, run(hook, Frame.arp(A_MAC, 1, A_MAC, A_IP, 0, A_IP)).retval());
        assertEquals(hook.drop, run(hook, Frame.arp(A_MAC, 2, A_MAC, A_IP, B_MAC, B_IP)).retval());
        assertEquals(hook.drop, run(hook, Frame.arp(A_MAC, 1, A_MAC, B_IP, 0, B_IP - 1)).retval());
        assertEquals(2, counters.read(A_ID, Reason.ARP_DENIED).packets());
        assertCounted(A_ID, Reason.ARP_GRATUITOUS);
        assertCounted(A_ID, Reason.ARP_NOT_REQUEST);
        assertCounted(A_ID, Reason.SPOOFED_IP);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void gatewayIpAndMacAreUnreachable(Hook hook) {
        assertEquals(hook.drop, run(hook, fromA(GATEWAY_IP, GATEWAY_MAC).tcp(40000, 22).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(HOST_IP, GATEWAY_MAC).tcp(40000, 53).build()).retval());
        assertEquals(2, counters.read(A_ID, Reason.GATEWAY).packets());
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void routedPacketForAContainerSkipsTheGateway(Hook hook) {
        TestRun run = run(hook, fromA(B_IP, GATEWAY_MAC).tcp(40000, 80).build());

        assertEquals(hook.redirect, run.retval());
        assertEquals(B_MAC, Frame.mac(run.output(), 0));
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void arpRequestForTheOwnGatewayIsAnswered(Hook hook) {
        TestRun run = run(hook, Frame.arp(A_MAC, 1, A_MAC, A_IP, 0, GATEWAY_IP));

        assertEquals(hook.tx, run.retval());
        assertEquals(GATEWAY_MAC, Frame.mac(run.output(), 6));
        assertEquals(GATEWAY_MAC, Frame.mac(run.output(), 22));
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void onlyAllowedPortsAndPeersPass(Hook hook) {
        assertEquals(hook.drop, run(hook, fromA(B_IP, B_MAC).tcp(40000, 22).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(STRANGER_IP, B_MAC).tcp(40000, 80).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(B_IP, B_MAC).icmp().build()).retval());
        assertEquals(2, counters.read(A_ID, Reason.PORT_DENIED).packets());
        assertCounted(A_ID, Reason.NO_POLICY);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void repliesFromPortsThePeerMayOpenPass(Hook hook) {
        assertEquals(hook.redirect, run(hook, fromA(B_IP, B_MAC).tcp(8080, 51000).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(B_IP, B_MAC).tcp(8081, 51000).build()).retval());
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void serviceAddressIsRewrittenToABackendAndBack(Hook hook) {
        TestRun request = run(hook, fromA(SERVICE_IP, B_MAC).tcp(40000, SERVICE_PORT).build());

        assertEquals(hook.redirect, request.retval());
        assertEquals(B_IP, Frame.dstIp(request.output()));
        assertEquals(BACKEND_PORT, Frame.dstPort(request.output()));
        assertEquals(B_MAC, Frame.mac(request.output(), 0));
        assertTrue(Frame.checksumsValid(request.output()), "checksums of the rewritten request");

        endpoints.put(INGRESS, new Endpoint(B_ID, B_IP, B_MAC, GATEWAY_IP));
        TestRun reply = run(hook, Frame.ipv4(B_MAC, A_MAC, B_IP, A_IP).tcp(BACKEND_PORT, 40000).build());

        assertEquals(hook.redirect, reply.retval());
        assertEquals(SERVICE_IP, Frame.srcIp(reply.output()));
        assertEquals(SERVICE_PORT, Frame.srcPort(reply.output()));
        assertEquals(A_IP, Frame.dstIp(reply.output()));
        assertTrue(Frame.checksumsValid(reply.output()), "checksums of the rewritten reply");
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void udpServiceIsRewrittenWithValidChecksums(Hook hook) {
        TestRun request = run(hook, fromA(DNS_IP, B_MAC).udp(33333, 53).build());

        assertEquals(hook.redirect, request.retval());
        assertEquals(B_IP, Frame.dstIp(request.output()));
        assertEquals(5353, Frame.dstPort(request.output()));
        assertTrue(Frame.checksumsValid(request.output()), "checksums of the rewritten request");

        endpoints.put(INGRESS, new Endpoint(B_ID, B_IP, B_MAC, GATEWAY_IP));
        TestRun reply = run(hook, Frame.ipv4(B_MAC, A_MAC, B_IP, A_IP).udp(5353, 33333).build());

        assertEquals(hook.redirect, reply.retval());
        assertEquals(DNS_IP, Frame.srcIp(reply.output()));
        assertEquals(53, Frame.srcPort(reply.output()));
        assertTrue(Frame.checksumsValid(reply.output()), "checksums of the rewritten reply");
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void remoteContainerIsReachedThroughTheExternalInterface(Hook hook) {
        TestRun tcp = run(hook, fromA(C_IP, C_MAC).tcp(40000, 80).build());
        TestRun icmp = run(hook, fromA(C_IP, C_MAC).icmp().build());

        assertEquals(hook.redirect, tcp.retval());
        assertEquals(hook.redirect, icmp.retval());
        assertEquals(OTHER_NODE_MAC, Frame.mac(tcp.output(), 0));
        assertEquals(EXTERNAL_MAC, Frame.mac(tcp.output(), 6));
        assertEquals(2, counters.read(A_ID, Reason.FORWARD_REMOTE).packets());
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void allowedHostAddressIsHandedToTheKernel(Hook hook) {
        assertEquals(hook.pass, run(hook, fromA(HOST_IP, mac("02:42:ac:00:00:fe")).tcp(40000, 53).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(HOST_IP, mac("02:42:ac:00:00:fe")).tcp(40000, 22).build()).retval());
        assertCounted(A_ID, Reason.PASS_HOST);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void externalInterfaceAdmitsOnlyKnownRemotesToLocalContainers(Hook hook) {
        TestRun delivered = object.program(hook.external).testRun(
                Frame.ipv4(OTHER_NODE_MAC, EXTERNAL_MAC, C_IP, A_IP).tcp(80, 40000).build(), 1);

        assertEquals(hook.redirect, delivered.retval());
        assertEquals(A_MAC, Frame.mac(delivered.output(), 0));
        assertEquals(C_MAC, Frame.mac(delivered.output(), 6));
        assertCounted(A_ID, Reason.EXT_DELIVERED);

        assertEquals(hook.pass, object.program(hook.external).testRun(
                Frame.ipv4(OTHER_NODE_MAC, EXTERNAL_MAC, ip("192.168.1.7"), ip("192.168.1.1")).tcp(1, 22).build(), 1)
                .retval());
        assertEquals(hook.pass, object.program(hook.external).testRun(
                Frame.arp(OTHER_NODE_MAC, 1, OTHER_NODE_MAC, ip("192.168.1.7"), 0, ip("192.168.1.1")), 1).retval());
        assertEquals(hook.drop, object.program(hook.external).testRun(
                Frame.ipv4(OTHER_NODE_MAC, EXTERNAL_MAC, ip("10.1.0.66"), A_IP).tcp(80, 40000).build(), 1).retval());
        assertEquals(hook.drop, object.program(hook.external).testRun(
                Frame.ipv4(OTHER_NODE_MAC, EXTERNAL_MAC, A_IP, C_IP).tcp(40000, 80).build(), 1).retval());
        assertCounted(A_ID, Reason.EXT_UNKNOWN_SOURCE);
        assertCounted(0, Reason.EXT_NOT_LOCAL);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void steeredFlowsGoToTheChainSocketOrFailClosed(Hook hook) {
        new SteeringMap(object.map(SteeringMap.NAME)).put(A_ID, B_IP, List.of(
                new SteeringRule(IpProtocol.TCP, 80, 80, 1), new SteeringRule(IpProtocol.TCP, 8080, 8080, 2)));
        byte[] request = fromA(B_IP, B_MAC).tcp(40000, 80).build();
        byte[] reply = fromA(B_IP, B_MAC).tcp(8080, 51000).build();

        // No AF_XDP socket (XDP) or steering port (tc) is there: a steered flow must not slip past its chain.
        assertEquals(hook.drop, run(hook, request).retval());
        assertEquals(hook.drop, run(hook, reply).retval());
        assertEquals(2, counters.read(A_ID, Reason.NO_SOCKET).packets());
        assertEquals(hook.redirect, run(hook, fromA(B_IP, B_MAC).udp(5000, 53).build()).retval());
        assertCounted(A_ID, Reason.FORWARD_LOCAL);
        if (hook == Hook.TC) {
            new SettingsMap(object.map(SettingsMap.NAME)).steeringPort(55);
            assertEquals(hook.redirect, run(hook, request).retval());
            assertCounted(A_ID, Reason.STEERED);
        }
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void chainedFlowsFromAnotherNodeGoToTheChainAfterTheOverrides(Hook hook) {
        new SteeringMap(object.map(SteeringMap.NAME)).put(A_ID, C_IP, List.of(new SteeringRule(IpProtocol.TCP, 80, 80, 1)));
        OverrideMap overrides = new OverrideMap(object.map(OverrideMap.NAME));
        overrides.set(new FlowKey(C_IP, A_IP, 80, 40001, Frame.TCP), OverrideMap.Action.BYPASS);
        overrides.set(new FlowKey(C_IP, A_IP, 80, 40002, Frame.TCP), OverrideMap.Action.BLOCK);

        // No socket on the external interface (XDP) or steering port (tc): the reply must not reach A unchained.
        assertEquals(hook.drop, fromOutside(hook, 80, 40000).retval());
        assertCounted(A_ID, Reason.NO_SOCKET);
        assertEquals(hook.redirect, fromOutside(hook, 80, 40001).retval(), "a bypassed flow is delivered");
        assertEquals(hook.drop, fromOutside(hook, 80, 40002).retval(), "a blocked flow is dropped");
        assertEquals(hook.redirect, fromOutside(hook, 81, 40000).retval(), "a port no chain has is delivered");
        assertEquals(2, counters.read(A_ID, Reason.EXT_DELIVERED).packets());
        assertCounted(A_ID, Reason.OVERRIDE_BLOCK);
        assertEquals(0, counters.read(A_ID, Reason.EXT_STEERED).packets());
        if (hook == Hook.TC) {
            new SettingsMap(object.map(SettingsMap.NAME)).steeringPort(55);
            TestRun steered = fromOutside(hook, 80, 40000);
            assertEquals(hook.redirect, steered.retval());
            assertEquals(A_MAC, Frame.mac(steered.output(), 0), "the chain gets the frame as A would");
            assertEquals(C_MAC, Frame.mac(steered.output(), 6));
            assertCounted(A_ID, Reason.EXT_STEERED);
        }
    }

    TestRun fromOutside(Hook hook, int sourcePort, int destinationPort) {
        return object.program(hook.external).testRun(
                Frame.ipv4(OTHER_NODE_MAC, EXTERNAL_MAC, C_IP, A_IP).tcp(sourcePort, destinationPort).build(), 1);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void overridesBlockOrBypassAFlow(Hook hook) {
        new SteeringMap(object.map(SteeringMap.NAME)).put(A_ID, B_IP,
                List.of(new SteeringRule(IpProtocol.TCP, 1, 0xffff, 1)));
        OverrideMap overrides = new OverrideMap(object.map(OverrideMap.NAME));
        FlowKey bypassed = new FlowKey(A_IP, B_IP, 40000, 80, Frame.TCP);
        FlowKey blocked = new FlowKey(A_IP, B_IP, 40001, 80, Frame.TCP);
        overrides.set(bypassed, OverrideMap.Action.BYPASS);
        overrides.set(blocked, OverrideMap.Action.BLOCK);

        assertEquals(hook.redirect, run(hook, fromA(B_IP, B_MAC).tcp(40000, 80).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(B_IP, B_MAC).tcp(40001, 80).build()).retval());
        assertEquals(hook.drop, run(hook, fromA(B_IP, B_MAC).tcp(40002, 80).build()).retval());
        assertCounted(A_ID, Reason.FORWARD_LOCAL);
        assertCounted(A_ID, Reason.OVERRIDE_BLOCK);
        assertCounted(A_ID, Reason.NO_SOCKET);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void firstPacketOfEachFlowIsReportedOnce(Hook hook) {
        List<FlowEvent> events = new ArrayList<>();
        try (FlowEvents flowEvents = new FlowEvents(object.map(FlowEvents.NAME), events::add)) {
            run(hook, fromA(B_IP, B_MAC).tcp(40000, 80).build());
            run(hook, fromA(B_IP, B_MAC).tcp(40000, 80).build());
            run(hook, fromA(B_IP, B_MAC).tcp(40000, 22).build());
            flowEvents.poll(Duration.ofMillis(100));
        }

        assertEquals(2, events.size(), () -> "events: " + events);
        assertEquals(new FlowKey(A_IP, B_IP, 40000, 80, Frame.TCP), events.get(0).flow());
        assertEquals(A_ID, events.get(0).id());
        assertEquals(Verdict.ALLOW, events.get(0).verdict());
        assertEquals(Reason.FORWARD_LOCAL, events.get(0).reason());
        assertEquals(22, events.get(1).flow().dport());
        assertEquals(Verdict.DROP, events.get(1).verdict());
        assertEquals(Reason.PORT_DENIED, events.get(1).reason());
        assertEquals(2, counters.read(A_ID, Reason.FORWARD_LOCAL).packets());
        counters.reset(A_ID);
        assertEquals(0, counters.read(A_ID, Reason.FORWARD_LOCAL).packets());
    }

    TestRun runEgress(byte[] frame) {
        return object.program(Entry.HOST_EGRESS_TC.program()).testRun(frame, 1);
    }

    /** The egress guard on A's host-side veth: frames that reach A through the bridge. */
    static Frame toA(long srcMac, int srcIp) {
        return Frame.ipv4(srcMac, A_MAC, srcIp, A_IP);
    }

    @Test
    void injectedArpIsDroppedAtTheHostEgress() {
        assertEquals(Hook.TC.drop, runEgress(Frame.arp(B_MAC, 2, B_MAC, B_IP, A_MAC, A_IP)).retval());
        assertEquals(Hook.TC.drop, runEgress(Frame.arp(GATEWAY_MAC, 1, GATEWAY_MAC, GATEWAY_IP, 0, A_IP)).retval());

        assertEquals(2, counters.read(A_ID, Reason.HOST_INJECTED).packets());
    }

    @Test
    void spoofedAndNonIpv4FramesAreDroppedAtTheHostEgress() {
        assertEquals(Hook.TC.drop, runEgress(toA(B_MAC, B_IP).udp(5353, 6379).build()).retval());
        assertEquals(Hook.TC.drop, runEgress(toA(GATEWAY_MAC, STRANGER_IP).tcp(40000, 6379).build()).retval());
        assertEquals(Hook.TC.drop, runEgress(Frame.ethernet(A_MAC, B_MAC, Frame.ETH_IPV6, new byte[60])).retval());

        assertEquals(3, counters.read(A_ID, Reason.HOST_INJECTED).packets());
        assertEquals(0, counters.read(A_ID, Reason.PASS_HOST).packets());
    }

    @Test
    void gatewayTrafficPassesTheHostEgressOnlyWhenTheGatewayIsOpen() {
        byte[] fromGateway = toA(GATEWAY_MAC, GATEWAY_IP).tcp(53, 40000).build();

        assertEquals(Hook.TC.drop, runEgress(fromGateway).retval());
        assertCounted(A_ID, Reason.HOST_INJECTED);

        assertTrue(new GatewayMap(object.map(GatewayMap.NAME)).allowIp(A_ID, GATEWAY_IP));
        assertEquals(Hook.TC.pass, runEgress(fromGateway).retval());
        assertEquals(Hook.TC.drop, runEgress(Frame.arp(GATEWAY_MAC, 1, GATEWAY_MAC, GATEWAY_IP, 0, A_IP)).retval());
        assertEquals(2, counters.read(A_ID, Reason.HOST_INJECTED).packets());
    }

    @Test
    void hostEgressOfAnInterfaceWithoutContainerPasses() {
        endpoints.remove(INGRESS);

        assertEquals(Hook.TC.pass, runEgress(toA(B_MAC, B_IP).udp(5353, 6379).build()).retval());
        assertEquals(Hook.TC.pass, runEgress(Frame.arp(B_MAC, 1, B_MAC, B_IP, 0, A_IP)).retval());
        assertEquals(Map.of(), counters.read(0));
        assertEquals(Map.of(), counters.read(A_ID));
    }

    static byte[] macBytes(long mac) {
        return Arrays.copyOfRange(Frame.ethernet(mac, 0, 0, new byte[0]), 0, 6);
    }

    static byte[] ipBytes(int ip) {
        return new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
    }

    // Table 2 of the paper prices each service alone: the benchmarks switch the other off (SettingsMap.disable).

    @ParameterizedTest
    @EnumSource(Hook.class)
    void withoutNetworkVisibilityArpGoesToTheBridgeAndEveryDestinationIsAllowed(Hook hook) {
        new SettingsMap(object.map(SettingsMap.NAME)).disable(Set.of(SettingsMap.Service.NETWORK_VISIBILITY));

        assertEquals(hook.pass, run(hook, Frame.arp(A_MAC, 1, A_MAC, A_IP, 0, STRANGER_IP)).retval());
        assertEquals(Hook.TC.pass, runEgress(Frame.arp(B_MAC, 2, B_MAC, B_IP, A_MAC, A_IP)).retval(),
                "the bridge's ARP reaches the container");
        assertEquals(Hook.TC.drop, runEgress(toA(B_MAC, B_IP).udp(5353, 6379).build()).retval(),
                "the egress guard is the other service's");
        assertEquals(hook.redirect, run(hook, fromA(B_IP, B_MAC).tcp(40000, 6379).build()).retval(),
                "a port no policy opens");
        assertEquals(hook.pass, run(hook, fromA(GATEWAY_IP, GATEWAY_MAC).tcp(40000, 10250).build()).retval(),
                "the gateway");
        assertEquals(hook.drop, run(hook, Frame.ipv4(A_MAC, B_MAC, ip("10.0.0.66"), B_IP).tcp(40000, 80).build())
                .retval(), "source verification is the other service");
        assertEquals(1, counters.read(A_ID, Reason.FORWARD_LOCAL).packets());
        assertEquals(2, counters.read(A_ID, Reason.PASS_HOST).packets());
        assertCounted(A_ID, Reason.SPOOFED_IP);
        assertCounted(A_ID, Reason.HOST_INJECTED);
    }

    @ParameterizedTest
    @EnumSource(Hook.class)
    void withoutTrafficVisibilitySourcesAreNotVerifiedAndAllowedPacketsGoThroughTheBridge(Hook hook) {
        SettingsMap settings = new SettingsMap(object.map(SettingsMap.NAME));
        settings.steeringPort(55);
        settings.disable(Set.of(SettingsMap.Service.TRAFFIC_VISIBILITY));

        assertEquals(hook.pass, run(hook, fromA(B_IP, B_MAC).tcp(40000, 80).build()).retval());
        assertEquals(hook.pass, run(hook, Frame.ipv4(A_MAC, B_MAC, ip("10.0.0.66"), B_IP).tcp(40000, 80).build())
                .retval(), "a spoofed source");
        assertEquals(hook.drop, run(hook, fromA(B_IP, B_MAC).tcp(40000, 6379).build()).retval(),
                "isolation is the other service");
        assertEquals(Hook.TC.pass, runEgress(toA(B_MAC, B_IP).tcp(80, 40000).build()).retval(),
                "the host egress guard lets the bridge deliver");
        assertEquals(2, counters.read(A_ID, Reason.PASS_HOST).packets(), "the egress guard counts only drops");
        assertCounted(A_ID, Reason.PORT_DENIED);
        assertEquals(Set.of(SettingsMap.Service.TRAFFIC_VISIBILITY), settings.disabled());

        settings.disable(Set.of());
        assertEquals(hook.redirect, run(hook, fromA(B_IP, B_MAC).tcp(40000, 80).build()).retval(), "back to normal");
    }
}
