package dev.bastion.datapath.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One rtnetlink read request (RTM_GET*): struct nlmsghdr, the family's header of {@code headerSize} bytes whose
 * first byte is the address family, then 32-bit attributes. A dump asks for every object of its type; without
 * NLM_F_ACK the kernel answers with the objects alone.
 */
final class RouteQuery {
    static final int RTM_GETLINK = 18;
    static final int RTM_GETADDR = 22;
    static final int RTM_GETNSID = 90;
    private static final int NLM_F_REQUEST = 0x1;
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
