package dev.bastion.bridge.xsk;

import static dev.bastion.bridge.Shell.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.datapath.bpf.BpfLink;
import dev.bastion.datapath.bpf.BpfObject;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.Offload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A socket on one end of a veth pair whose XDP program redirects every frame into it: UDP datagrams sent from
 * the other namespace arrive in Java, which turns each frame around in place (addresses and ports swapped, so
 * the checksums stay valid) and transmits the same UMEM frame back, where the sender's socket receives it.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "builds namespaces, attaches XDP")
class XskSocketTest {
    static final String IP_A = "10.98.0.1";
    static final String IP_B = "10.98.0.2";
    static final String MAC_A = "02:98:00:00:00:01";
    static final int PORT = 7777;
    static final int DATAGRAMS = 50;

    final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final String namespaceA = "xska-" + suffix;
    final String namespaceB = "xskb-" + suffix;
    final String vethA = "xa" + suffix;

    @BeforeEach
    void wire() {
        ip("netns", "add", namespaceA);
        ip("netns", "add", namespaceB);
        ip("-n", namespaceA, "link", "add", vethA, "address", MAC_A, "type", "veth", "peer", "name", "eth0",
                "netns", namespaceB);
        ip("-n", namespaceA, "addr", "add", IP_A + "/24", "dev", vethA);
        ip("-n", namespaceB, "addr", "add", IP_B + "/24", "dev", "eth0");
        ip("-n", namespaceA, "link", "set", vethA, "up");
        ip("-n", namespaceB, "link", "set", "eth0", "up");
        // ARP would go to the socket too: B knows A's MAC statically.
        ip("-n", namespaceB, "neigh", "add", IP_A, "lladdr", MAC_A, "dev", "eth0");
        // Frames reach Java as sent: with offload on, UDP would carry a partial checksum.
        NetworkNamespace.run(namespaceB, () -> Offload.TX_CHECKSUM.set("eth0", false));
    }

    @AfterEach
    void unwire() {
        for (String namespace : new String[] {namespaceA, namespaceB}) {
            try {
                ip("netns", "del", namespace);
            } catch (RuntimeException e) {
                // the other one must still go
            }
        }
    }

    @Test
    void framesArriveInJavaAndGoBackOutFromTheSameUmemFrame() throws Exception {
        try (BpfObject object = BpfObject.open(Path.of("target/test-classes/bpf/xsk_redirect.o"));
                Umem umem = new Umem(1024, 2048)) {
            object.load();
            int ifindex = NetworkNamespace.call(namespaceA, () -> Interfaces.index(vethA));
            XskSocket socket = NetworkNamespace.call(namespaceA, () -> XskSocket.open(umem, ifindex, 0, 256));
            try (socket; BpfLink link = NetworkNamespace.call(namespaceA,
                    () -> BpfLink.attachXdp(object.program("xsk_redirect"), ifindex))) {
                object.map("xsks").update(u32(0), u32(socket.fd()));
                Echo echo = new Echo(umem, socket);
                Thread loop = new Thread(echo, "xsk echo");
                loop.start();
                try {
                    for (int i = 0; i < DATAGRAMS; i++) {
                        byte[] sent = ("datagram " + i).getBytes(StandardCharsets.UTF_8);
                        assertArrayEquals(sent, exchange(sent), "datagram " + i + " came back");
                    }
                } finally {
                    echo.running.set(false);
                    loop.join(5000);
                }
                assertEquals(DATAGRAMS, echo.echoed.get());
                assertEquals(DATAGRAMS, echo.completed.get(), "every transmitted frame completed");
                assertTrue(echo.received.get() >= DATAGRAMS);
                XskStatistics statistics = socket.statistics();
                assertEquals(0, statistics.rxInvalidDescriptors() + statistics.txInvalidDescriptors(),
                        "the kernel accepted every descriptor Java wrote");
                object.map("xsks").delete(u32(0));
                socket.reclaim();
                assertEquals(umem.frameCount(), umem.available(), "every frame is back in the UMEM");
            }
        }
    }

    byte[] exchange(byte[] payload) {
        return NetworkNamespace.call(namespaceB, () -> {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(IP_B, 0))) {
                udp.setSoTimeout(3000);
                udp.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(IP_A, PORT)));
                DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
                udp.receive(answer);
                return Arrays.copyOf(answer.getData(), answer.getLength());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /** Drives the four rings by hand: what the bridge's forwarder does, minus the chain. */
    static final class Echo implements Runnable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger echoed = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final Umem umem;
        final XskSocket socket;

        Echo(Umem umem, XskSocket socket) {
            this.umem = umem;
            this.socket = socket;
        }

        @Override
        public void run() {
            while (running.get()) {
                refill();
                RxRing rx = socket.rx();
                int count = rx.peek(32);
                int sent = 0;
                for (int i = 0; i < count; i++) {
                    long address = rx.address(i);
                    int length = rx.length(i);
                    received.incrementAndGet();
                    ByteBuffer frame = umem.frame(address, length);
                    if (isUdpTo(frame, PORT) && socket.tx().reserve(1) == 1) {
                        turnAround(frame);
                        socket.tx().put(0, address, length);
                        socket.tx().submit(1);
                        sent++;
                    } else {
                        umem.release(address);
                    }
                }
                rx.release(count);
                if (sent > 0) {
                    socket.kick();
                    echoed.addAndGet(sent);
                }
                CompletionRing done = socket.completion();
                int finished = done.peek(64);
                for (int i = 0; i < finished; i++) {
                    umem.release(done.address(i));
                }
                done.release(finished);
                completed.addAndGet(finished);
                if (count == 0 && finished == 0) {
                    Thread.onSpinWait();
                }
            }
        }

        void refill() {
            FillRing fill = socket.fill();
            int slots = fill.reserve(Math.min(umem.available(), 64));
            for (int i = 0; i < slots; i++) {
                fill.put(i, umem.allocate());
            }
            fill.submit(slots);
        }

        static boolean isUdpTo(ByteBuffer frame, int port) {
            return frame.limit() >= 42 && frame.getShort(12) == 0x0800 && frame.get(23) == 17
                    && (frame.getShort(36) & 0xffff) == port;
        }

        /** Swaps MACs, IPs and ports: the sums of both checksums are unchanged. */
        static void turnAround(ByteBuffer frame) {
            for (int i = 0; i < 6; i++) {
                swap(frame, i, 6 + i);
            }
            for (int i = 0; i < 4; i++) {
                swap(frame, 26 + i, 30 + i);
            }
            for (int i = 0; i < 2; i++) {
                swap(frame, 34 + i, 36 + i);
            }
        }

        static void swap(ByteBuffer frame, int a, int b) {
            byte t = frame.get(a);
            frame.put(a, frame.get(b));
            frame.put(b, t);
        }
    }
}
