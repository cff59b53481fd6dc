package dev.bastion.bridge.xsk;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;

/**
 * A memory mapping (anonymous for the UMEM, of the socket for a ring) seen as one direct ByteBuffer (big-endian,
 * like any new buffer), unmapped on close. The buffer must not be used after that.
 */
final class Mapping implements AutoCloseable {
    final long address;
    final long length;
    final ByteBuffer buffer;

    private Mapping(long address, long length) {
        this.address = address;
        this.length = length;
        this.buffer = MemoryIO.getInstance().newDirectByteBuffer(address, Math.toIntExact(length));
    }

    static Mapping anonymous(long length, String what) {
        long address = XdpSyscalls.INSTANCE.mmap(null, length, XdpSyscalls.PROT_READ | XdpSyscalls.PROT_WRITE,
                XdpSyscalls.MAP_PRIVATE | XdpSyscalls.MAP_ANONYMOUS | XdpSyscalls.MAP_POPULATE, -1, 0);
        if (address == XdpSyscalls.MAP_FAILED) {
            throw new XskException("mmap " + what + " (" + length + " bytes)", XdpSyscalls.errno());
        }
        return new Mapping(address, length);
    }

    static Mapping ofSocket(int fd, long offset, long length, String what) {
        long address = XdpSyscalls.INSTANCE.mmap(null, length, XdpSyscalls.PROT_READ | XdpSyscalls.PROT_WRITE,
                XdpSyscalls.MAP_SHARED | XdpSyscalls.MAP_POPULATE, fd, offset);
        if (address == XdpSyscalls.MAP_FAILED) {
            throw new XskException("mmap " + what, XdpSyscalls.errno());
        }
        return new Mapping(address, length);
    }

    @Override
    public void close() {
        XdpSyscalls.INSTANCE.munmap(address, length);
    }
}
