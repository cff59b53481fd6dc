package dev.bastion.bridge.xsk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class UmemTest {
    @Test
    void handsOutEveryFrameOnceAndTakesThemBackByAnyAddressInside() {
        try (Umem umem = new Umem(4, 2048)) {
            long a = umem.allocate();
            long b = umem.allocate();
            long c = umem.allocate();
            long d = umem.allocate();
            assertEquals(-1, umem.allocate());
            assertEquals(6 * 2048, a + b + c + d, "frames 0..3");
            umem.release(b + 256 + 60);
            assertEquals(b, umem.allocate(), "an RX address points past the headroom; the frame is what returns");
        }
    }

    @Test
    void framesAreViewsOfTheSameMemory() {
        try (Umem umem = new Umem(2, 4096)) {
            ByteBuffer frame = umem.frame(4096 + 14, 20);
            frame.putInt(16, 0x0a000003);
            assertEquals(0x0a000003, umem.buffer().getInt(4096 + 14 + 16), "network order, no copy");
            assertEquals(20, frame.capacity());
        }
    }

    @Test
    void refusesFrameSizesTheKernelRejects() {
        assertThrows(IllegalArgumentException.class, () -> new Umem(16, 3000));
        assertThrows(IllegalArgumentException.class, () -> new Umem(16, 1024));
        assertThrows(IllegalArgumentException.class, () -> new Umem(0, 2048));
    }
}
