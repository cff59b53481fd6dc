package dev.bastion.datapath.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One rtnetlink request on a family's objects: struct nlmsghdr, the family's header of {@code headerSize} bytes
 * whose first byte is the address family, then attributes. A read (RTM_GET*) without NLM_F_ACK is answered with the
 * objects alone, a dump with every object of its type; a {@link #change} asks for an acknowledgement.
 */
final class RouteQuery {
    static final int RTM_GETLINK = 18;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_GETNEIGH = 30;
    static final int RTM_GETNSID = 90;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_CREATE = 0x400;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_ACK = 0x4;
    private static final int NLM_F_DUMP = 0x300;
    private static final int SEQUENCE_OFFSET = 8;
    private static final int CAPACITY = 64;

    private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY).order(ByteOrder.nativeOrder());

    private RouteQuery(int type, int flags, int family, int headerSize) {
        buffer.putInt(0).putShort((short) type).putShort((short) (NLM_F_REQUEST | flags)).putInt(0).putInt(0);
        buffer.put((byte) family);
        buffer.position(LinkMessage.HEADER_SIZE + (headerSize + 3 & ~3));
    }

    /** Every object of {@code type} (RTM_GETLINK, RTM_GETADDR...) of address {@code family} (0: all). */
    static RouteQuery dump(int type, int family, int headerSize) {
        return new RouteQuery(type, NLM_F_DUMP, family, headerSize);
    }

    /** One object of {@code type}, named by attributes. */
    static RouteQuery one(int type, int headerSize) {
        return new RouteQuery(type, 0, 0, headerSize);
    }

    /** A request creating or changing an object of {@code type} (RTM_NEW*), acknowledged by the kernel. */
    static RouteQuery change(int type, int flags, int family, int headerSize) {
        return new RouteQuery(type, NLM_F_ACK | flags, family, headerSize);
    }

    /** Sets the 32-bit field at {@code offset} of the family's header. */
    RouteQuery header32(int offset, int value) {
        buffer.putInt(LinkMessage.HEADER_SIZE + offset, value);
        return this;
    }

    /** Sets the 16-bit field at {@code offset} of the family's header. */
    RouteQuery header16(int offset, int value) {
        buffer.putShort(LinkMessage.HEADER_SIZE + offset, (short) value);
        return this;
    }

    /** An attribute holding {@code value} as it is (an address in network order, say). */
    RouteQuery bytes(int type, byte[] value) {
        int length = 4 + value.length;
        buffer.putShort((short) length).putShort((short) type).put(value);
        buffer.position(buffer.position() + (-length & 3));
        return this;
    }

    /** A 32-bit attribute. */
    RouteQuery u32(int type, int value) {
        buffer.putShort((short) 8).putShort((short) type).putInt(value);
        return this;
    }

    /** The finished request, numbered {@code sequence}. */
    byte[] bytes(int sequence) {
        buffer.putInt(0, buffer.position()).putInt(SEQUENCE_OFFSET, sequence);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
