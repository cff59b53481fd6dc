package dev.bastion.datapath.bpf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.bastion.datapath.bpf.TestObjects.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "runs eBPF programs: needs root")
class RingBufferTest {
    private BpfObject object;

    @BeforeEach
    void load() {
        object = TestObjects.load();
    }

    @AfterEach
    void close() {
        object.close();
    }

    @Test
    void deliversEveryRecordTheProgramWrites() {
        List<ByteBuffer> records = new ArrayList<>();
        try (RingBuffer ring = new RingBuffer(object.map("events"), records::add)) {
            assertEquals(0, ring.poll(Duration.ofMillis(10)), "nothing written yet");
            BpfProgram program = object.program("xdp_test");
            program.testRun(frame(30), 1);
            program.testRun(frame(40), 1);
            program.testRun(frame(50), 3);
            int delivered = 0;
            for (int attempt = 0; attempt < 10 && delivered < 5; attempt++) {
                delivered += ring.poll(Duration.ofMillis(100));
            }
            assertEquals(5, delivered);
        }
        assertEquals(5, records.size());
        // struct event { u32 ifindex; u32 len; u8 head[14]; }, padded to 24 bytes by the ring buffer
        ByteBuffer first = records.get(0);
        assertEquals(24, first.remaining());
        assertEquals(44, first.getInt(4));
        byte[] head = new byte[14];
        first.get(8, head);
        assertArrayEquals(Arrays.copyOf(frame(30), 14), head, "the frame as it arrived");
        assertEquals(54, records.get(1).getInt(4));
        assertEquals(64, records.get(4).getInt(4));
    }

    @Test
    void rethrowsWhatTheConsumerThrows() {
        IllegalStateException boom = new IllegalStateException("consumer failed");
        try (RingBuffer ring = new RingBuffer(object.map("events"), record -> {
            throw boom;
        })) {
            object.program("xdp_test").testRun(frame(10), 1);
            assertSame(boom, assertThrows(IllegalStateException.class, () -> ring.poll(Duration.ofSeconds(1))));
        }
        assertThrows(IllegalArgumentException.class, () -> new RingBuffer(object.map("stats"), record -> { }));
    }
}
