package dev.bastion.bridge.xsk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.byref.IntByReference;

/**
 * An AF_XDP socket bound to one queue of one interface, in copy mode (the only mode veth offers), on a shared
 * {@link Umem}. The first socket of a UMEM registers it; the others bind with XDP_SHARED_UMEM and get fill and
 * completion rings of their own (Linux 5.10+ allows sharing across devices that way). The interface is
 * resolved in the network namespace of the thread that opens the socket.
 */
public final class XskSocket implements AutoCloseable {
    private static final int XDP_MMAP_OFFSETS = 1;
    private static final int XDP_RX_RING = 2;
    private static final int XDP_TX_RING = 3;
    private static final int XDP_UMEM_REG = 4;
    private static final int XDP_UMEM_FILL_RING = 5;
    private static final int XDP_UMEM_COMPLETION_RING = 6;
    private static final int XDP_STATISTICS = 7;
    private static final int XDP_SHARED_UMEM = 1;
    private static final int XDP_COPY = 2;

    private final Umem umem;
    private final int fd;
    private final int ifindex;
    private final int queue;
    private final FillRing fill;
    private final CompletionRing completion;
    private final RxRing rx;
    private final TxRing tx;

    private XskSocket(Umem umem, int fd, int ifindex, int queue, int ringSize) {
        this.umem = umem;
        this.fd = fd;
        this.ifindex = ifindex;
        this.queue = queue;
        for (int ring : new int[] {XDP_UMEM_FILL_RING, XDP_UMEM_COMPLETION_RING, XDP_RX_RING, XDP_TX_RING}) {
            setOption(ring, intBytes(ringSize), "ring size " + ringSize);
        }
        ByteBuffer offsets = mmapOffsets();
        List<Ring> mapped = new ArrayList<>(4);
        try {
            this.rx = mapped(mapped, new RxRing(fd, ringOffsets(offsets, 0), ringSize));
            this.tx = mapped(mapped, new TxRing(fd, ringOffsets(offsets, 1), ringSize));
            this.fill = mapped(mapped, new FillRing(fd, ringOffsets(offsets, 2), ringSize));
            this.completion = mapped(mapped, new CompletionRing(fd, ringOffsets(offsets, 3), ringSize));
        } catch (RuntimeException e) {
            mapped.forEach(Ring::close);
            throw e;
        }
    }

    private static <R extends Ring> R mapped(List<Ring> mapped, R ring) {
        mapped.add(ring);
        return ring;
    }

    /**
     * Opens a socket on {@code ifindex}/{@code queue} with rings of {@code ringSize} descriptors each (a power
     * of two). The fill ring starts empty: the caller stocks it from the UMEM.
     */
    public static XskSocket open(Umem umem, int ifindex, int queue, int ringSize) {
        if (Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two, not " + ringSize);
        }
        XdpSyscalls sys = XdpSyscalls.INSTANCE;
        int fd = (int) XskException.check(sys.socket(XdpSyscalls.AF_XDP, XdpSyscalls.SOCK_RAW
                | XdpSyscalls.SOCK_CLOEXEC, 0), "socket(AF_XDP) (needs CAP_NET_RAW)");
        XskSocket socket = null;
        try {
            int shared = umem.sharedFd();
            if (shared < 0) {
                register(fd, umem);
            }
            socket = new XskSocket(umem, fd, ifindex, queue, ringSize);
            socket.bind(shared < 0 ? XDP_COPY : XDP_SHARED_UMEM, Math.max(shared, 0));
            umem.bound(fd);
            return socket;
        } catch (RuntimeException e) {
            if (socket != null) {
                socket.close();
            } else {
                sys.close(fd);
            }
            throw e;
        }
    }

    private static void register(int fd, Umem umem) {
        // struct xdp_umem_reg: u64 addr, u64 len, u32 chunk_size, u32 headroom, u32 flags, u32 tx_metadata_len
        ByteBuffer reg = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        reg.putLong(umem.address()).putLong(umem.length()).putInt(umem.frameSize()).putInt(0).putInt(0).putInt(0);
        XskException.check(XdpSyscalls.INSTANCE.setsockopt(fd, XdpSyscalls.SOL_XDP, XDP_UMEM_REG, reg.array(), 32),
                "register UMEM of " + umem.frameCount() + " frames");
    }

    private void bind(int flags, int sharedFd) {
        // struct sockaddr_xdp: u16 family, u16 flags, u32 ifindex, u32 queue_id, u32 shared_umem_fd
        ByteBuffer address = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        address.putShort((short) XdpSyscalls.AF_XDP).putShort((short) flags).putInt(ifindex).putInt(queue)
                .putInt(sharedFd);
        XskException.check(XdpSyscalls.INSTANCE.bind(fd, address.array(), 16),
                "bind AF_XDP socket to ifindex " + ifindex + " queue " + queue);
    }

    private void setOption(int option, byte[] value, String what) {
        XskException.check(XdpSyscalls.INSTANCE.setsockopt(fd, XdpSyscalls.SOL_XDP, option, value, value.length),
                "setsockopt " + option + " (" + what + ") on ifindex " + ifindex);
    }

    private ByteBuffer mmapOffsets() {
        return getOption(XDP_MMAP_OFFSETS, 128, "XDP_MMAP_OFFSETS");
    }

    private ByteBuffer getOption(int option, int size, String name) {
        byte[] value = new byte[size];
        IntByReference length = new IntByReference(value.length);
        XskException.check(XdpSyscalls.INSTANCE.getsockopt(fd, XdpSyscalls.SOL_XDP, option, value, length),
                "getsockopt " + name + " on ifindex " + ifindex);
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
    }

    /** The kernel's drop and invalid-descriptor counts for this socket; callable from any thread. */
    public XskStatistics statistics() {
        ByteBuffer s = getOption(XDP_STATISTICS, 48, "XDP_STATISTICS");
        return new XskStatistics(s.getLong(0), s.getLong(8), s.getLong(16), s.getLong(24), s.getLong(32),
                s.getLong(40));
    }

    /** Ring {@code index} of struct xdp_mmap_offsets {rx, tx, fr, cr}, each {producer, consumer, desc, flags}. */
    private static Ring.Offsets ringOffsets(ByteBuffer offsets, int index) {
        int base = index * 32;
        return new Ring.Offsets(offsets.getLong(base), offsets.getLong(base + 8), offsets.getLong(base + 16));
    }

    private static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /**
     * Makes the kernel send what the TX ring holds: in copy mode transmission happens inside this sendto.
     * A busy or full device is not an error: the frames stay in the ring for the next kick.
     */
    public void kick() {
        long result = XdpSyscalls.INSTANCE.sendto(fd, null, 0, XdpSyscalls.MSG_DONTWAIT, null, 0);
        if (result < 0) {
            int errno = XdpSyscalls.errno();
            if (errno != XdpSyscalls.EAGAIN && errno != XdpSyscalls.EBUSY && errno != XdpSyscalls.ENOBUFS) {
                throw new XskException("sendto (TX kick) on ifindex " + ifindex, errno);
            }
        }
    }

    /** The descriptor to put in an XSKMAP. */
    public int fd() {
        return fd;
    }

    public int ifindex() {
        return ifindex;
    }

    public int queue() {
        return queue;
    }

    public FillRing fill() {
        return fill;
    }

    public CompletionRing completion() {
        return completion;
    }

    public RxRing rx() {
        return rx;
    }

    public TxRing tx() {
        return tx;
    }

    /**
     * Gives back to the UMEM every frame this socket still holds: received and not yet consumed, completed,
     * and in the fill ring but not taken by the kernel. Only when closing, after the socket left the XSKMAP
     * and the redirects in flight are done; frames the kernel took from the fill ring for a packet it was
     * still copying then are lost.
     */
    public void reclaim() {
        int count;
        while ((count = rx.peek(rx.size())) > 0) {
            for (int i = 0; i < count; i++) {
                umem.release(rx.address(i));
            }
            rx.release(count);
        }
        while ((count = completion.peek(completion.size())) > 0) {
            for (int i = 0; i < count; i++) {
                umem.release(completion.address(i));
            }
            completion.release(count);
        }
        fill.takeBack(umem);
    }

    @Override
    public void close() {
        umem.closed(fd);
        for (Ring ring : new Ring[] {rx, tx, fill, completion}) {
            ring.close();
        }
        XdpSyscalls.INSTANCE.close(fd);
    }
}
