package dev.bastion.datapath.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One rtnetlink link request: struct nlmsghdr, struct ifinfomsg, then attributes (struct rtattr, each padded to
 * 4 bytes), which may nest. All fields in host order, as the kernel reads them.
 */
final class LinkMessage {
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int IFF_UP = 0x1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int VETH_INFO_PEER = 1;

    /** nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
    static final int HEADER_SIZE = 16;
    private static final int SEQUENCE_OFFSET = 8;
    private static final int RTATTR_HEADER_SIZE = 4;
    /** Room for a veth pair request (about 100 bytes) and then some. */
    private static final int CAPACITY = 512;

    private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY).order(ByteOrder.nativeOrder());
    private final Deque<Integer> openNests = new ArrayDeque<>();

    /** A request of {@code type} (RTM_*) with NLM_F_REQUEST, NLM_F_ACK and {@code flags}, and its ifinfomsg. */
    LinkMessage(int type, int flags) {
        buffer.putInt(0).putShort((short) type).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | flags)).putInt(0)
                .putInt(0);
        interfaceInfo(0, 0);
    }

    /** A struct ifinfomsg (AF_UNSPEC, any type, index 0: the interface is named by IFLA_IFNAME). */
    LinkMessage interfaceInfo(int flags, int change) {
        buffer.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0).putInt(flags).putInt(change);
        return this;
    }

    /** Sets the ifinfomsg's flags and change mask (e.g. IFF_UP) of the request itself. */
    LinkMessage flags(int flags, int change) {
        buffer.putInt(HEADER_SIZE + 8, flags).putInt(HEADER_SIZE + 12, change);
        return this;
    }

    /** IFLA_IFNAME, after checking the name as the kernel would. */
    LinkMessage name(String interfaceName) {
        return string(IFLA_IFNAME, Interfaces.nameBytes(interfaceName));
    }

    LinkMessage string(int type, String value) {
        return string(type, value.getBytes(StandardCharsets.US_ASCII));
    }

    /** Opens a nested attribute; its length is written by {@link #end()}. */
    LinkMessage begin(int type) {
        openNests.push(buffer.position());
        buffer.putShort((short) 0).putShort((short) type);
        return this;
    }

    LinkMessage end() {
        int start = openNests.pop();
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    /** The finished request, numbered {@code sequence}. */
    byte[] bytes(int sequence) {
        if (!openNests.isEmpty()) {
            throw new IllegalStateException("netlink message has " + openNests.size() + " unclosed attributes");
        }
        buffer.putInt(0, buffer.position()).putInt(SEQUENCE_OFFSET, sequence);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** A NUL-terminated string attribute. */
    private LinkMessage string(int type, byte[] value) {
        int length = RTATTR_HEADER_SIZE + value.length + 1;
        buffer.putShort((short) length).putShort((short) type).put(value).put((byte) 0);
        buffer.position(buffer.position() + padding(length));
        return this;
    }

    private static int padding(int length) {
        return -length & 3;
    }
}
