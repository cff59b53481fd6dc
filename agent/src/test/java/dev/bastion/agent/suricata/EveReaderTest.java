package dev.bastion.agent.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feeds records recorded from Suricata 7.0.10 through a real Unix socket into the reader. */
class EveReaderTest {
    static final String ALERT = "{\"timestamp\":\"2026-11-30T17:22:06.128543+0000\",\"flow_id\":1956951611732294,"
            + "\"in_iface\":\"sa\",\"event_type\":\"alert\",\"src_ip\":\"10.77.0.1\",\"src_port\":34086,"
            + "\"dest_ip\":\"10.77.0.2\",\"dest_port\":8080,\"proto\":\"TCP\",\"pkt_src\":\"wire/pcap\",\"tx_id\":0,"
            + "\"alert\":{\"action\":\"blocked\",\"gid\":1,\"signature_id\":1000001,\"rev\":1,\"signature\":\"forbidden path\","
            + "\"category\":\"\",\"severity\":3},\"http\":{\"hostname\":\"10.77.0.2\",\"http_port\":8080,\"url\":\"/admin/\","
            + "\"http_user_agent\":\"curl/7.88.1\",\"http_method\":\"GET\",\"protocol\":\"HTTP/1.1\",\"length\":0},"
            + "\"app_proto\":\"http\",\"direction\":\"to_server\",\"flow\":{\"pkts_toserver\":3,\"pkts_toclient\":1,"
            + "\"bytes_toserver\":290,\"bytes_toclient\":74,\"start\":\"2026-11-30T17:22:06.127958+0000\","
            + "\"src_ip\":\"10.77.0.1\",\"dest_ip\":\"10.77.0.2\",\"src_port\":34086,\"dest_port\":8080}}";
    static final String DROP = "{\"timestamp\":\"2026-11-30T17:22:06.128543+0000\",\"flow_id\":1956951611732294,"
            + "\"in_iface\":\"sa\",\"event_type\":\"drop\",\"src_ip\":\"10.77.0.1\",\"src_port\":34086,"
            + "\"dest_ip\":\"10.77.0.2\",\"dest_port\":8080,\"proto\":\"TCP\",\"pkt_src\":\"wire/pcap\","
            + "\"direction\":\"to_server\",\"drop\":{\"len\":136,\"tos\":0,\"ttl\":64,\"ipid\":63396,"
            + "\"tcpseq\":3270691151,\"tcpack\":2064342186,\"tcpwin\":63,\"syn\":false,\"ack\":true,\"psh\":true,"
            + "\"rst\":false,\"urg\":false,\"fin\":false,\"tcpres\":0,\"tcpurgp\":0,\"reason\":\"rules\"},\"tx_id\":0,"
            + "\"alert\":{\"action\":\"blocked\",\"gid\":1,\"signature_id\":1000001,\"rev\":1,"
            + "\"signature\":\"forbidden path\",\"category\":\"\",\"severity\":3}}";
    static final String FLOW = "{\"timestamp\":\"2026-11-30T17:27:08.616709+0000\",\"flow_id\":876195848074495,"
            + "\"in_iface\":\"sa\",\"event_type\":\"flow\",\"src_ip\":\"10.77.0.1\",\"src_port\":54604,"
            + "\"dest_ip\":\"10.77.0.2\",\"dest_port\":8080,\"proto\":\"TCP\",\"flow\":{\"pkts_toserver\":1,"
            + "\"pkts_toclient\":1,\"bytes_toserver\":74,\"bytes_toclient\":54,"
            + "\"start\":\"2026-11-30T17:26:59.597221+0000\",\"end\":\"2026-11-30T17:26:59.597292+0000\",\"age\":0,"
            + "\"state\":\"closed\",\"reason\":\"shutdown\",\"alerted\":false},\"tcp\":{\"tcp_flags\":\"16\","
            + "\"syn\":true,\"rst\":true,\"ack\":true,\"state\":\"closed\"}}";
    static final String STATS = "{\"timestamp\":\"2026-11-30T17:22:03.096546+0000\",\"event_type\":\"stats\","
            + "\"stats\":{\"uptime\":5,\"ips\":{\"accepted\":2,\"blocked\":0,\"rejected\":0,\"replaced\":0,"
            + "\"drop_reason\":{\"rules\":0,\"stream_error\":0}},\"capture\":{\"kernel_packets\":2,\"kernel_drops\":0,"
            + "\"errors\":0,\"afpacket\":{\"polls\":60,\"send_errors\":0}}}}";

    @TempDir
    Path dir;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private EveReader reader;

    @BeforeEach
    void listen() throws IOException {
        reader = new EveReader(dir.resolve("eve.sock"), new EveListener() {
            @Override
            public void event(EveEvent event) {
                received.add(event);
            }

            @Override
            public void connected() {
                received.add("connected");
            }

            @Override
            public void disconnected() {
                received.add("disconnected");
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        reader.close();
        assertFalse(Files.exists(dir.resolve("eve.sock")), "socket file removed");
    }

    @Test
    void decodesEachRecordTypeIntoItsEvent() throws Exception {
        try (SocketChannel suricata = connect()) {
            send(suricata, ALERT + "\n" + DROP + "\n" + FLOW + "\n" + STATS + "\n");
            assertEquals("connected", next());

            EveAlert alert = assertInstanceOf(EveAlert.class, next());
            assertEquals(Instant.parse("2026-11-30T17:22:06.128543Z"), alert.timestamp());
            assertEquals(1956951611732294L, alert.flowId());
            assertEquals(new EveTuple("10.77.0.1", 34086, "10.77.0.2", 8080, "TCP"), alert.tuple());
            assertEquals(EveAlert.Action.BLOCKED, alert.action());
            assertEquals(1000001, alert.signatureId());
            assertEquals("forbidden path", alert.signature());
            assertEquals(3, alert.severity());

            EveDrop drop = assertInstanceOf(EveDrop.class, next());
            assertEquals("rules", drop.reason());
            assertEquals(OptionalLong.of(1000001), drop.signatureId());
            assertEquals(alert.flowId(), drop.flowId());

            EveFlow flow = assertInstanceOf(EveFlow.class, next());
            assertEquals(1, flow.packetsToServer());
            assertEquals(54, flow.bytesToClient());
            assertEquals(Instant.parse("2026-11-30T17:26:59.597221Z"), flow.start());
            assertEquals("shutdown", flow.reason());
            assertFalse(flow.alerted());

            EveStats stats = assertInstanceOf(EveStats.class, next());
            assertEquals(5, stats.uptimeSeconds());
            assertEquals(2, stats.counter("ips.accepted"));
            assertEquals(60, stats.counter("capture.afpacket.polls"));
            assertEquals(0, stats.counter("no.such.counter"));
        }
        assertEquals("disconnected", next());
    }

    @Test
    void recordsSplitAcrossWritesAreReassembledAndBadOnesSkipped() throws Exception {
        try (SocketChannel suricata = connect()) {
            assertEquals("connected", next());
            send(suricata, "{\"event_type\":\"anomaly\",\"timestamp\":\"2026-11-30T17:22:06.128543+0000\"}\n");
            send(suricata, "not json\n{\"event_type\":\"alert\",\"timestamp\":\"2026-11-30T17:22:06.128543+0000\"}\n");
            send(suricata, ALERT.substring(0, 100));
            Thread.sleep(50);
            send(suricata, ALERT.substring(100) + "\n");
            EveAlert alert = assertInstanceOf(EveAlert.class, next());
            assertEquals(1000001, alert.signatureId());
            assertNull(received.poll(200, TimeUnit.MILLISECONDS), "nothing else delivered");
        }
    }

    @Test
    void aRestartedSuricataConnectsAgain() throws Exception {
        try (SocketChannel first = connect()) {
            assertEquals("connected", next());
        }
        assertEquals("disconnected", next());
        try (SocketChannel second = connect()) {
            assertEquals("connected", next());
            send(second, DROP + "\n");
            assertInstanceOf(EveDrop.class, next());
        }
    }

    private SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(reader.socket()));
        return channel;
    }

    private static void send(SocketChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private Object next() throws InterruptedException {
        Object o = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(o, "nothing received within 5 s");
        return o;
    }
}
