package dev.bastion.datapath.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one request on a throwaway NETLINK_ROUTE socket and waits for the kernel's acknowledgement. The socket
 * belongs to the network namespace of the calling thread when it is opened, so the request acts there.
 */
final class Rtnetlink {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW_CLOEXEC = 3 | 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_ERROR = 2;
    /** An acknowledgement is nlmsghdr + struct nlmsgerr (int error, the request's nlmsghdr, maybe its payload). */
    private static final int RECEIVE_SIZE = 8192;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Rtnetlink() {
    }

    /**
     * Sends {@code message} and returns once the kernel acknowledged it.
     *
     * @param what names the request in errors, e.g. "veth pair bdpa0/bdpb0"
     * @throws NetlinkException when the kernel refuses it
     */
    static void request(LinkMessage message, String what) {
        Libc libc = Libc.INSTANCE;
        int socket = libc.socket(AF_NETLINK, SOCK_RAW_CLOEXEC, NETLINK_ROUTE);
        if (socket < 0) {
            throw new NetlinkException("opening a netlink socket for " + what, Libc.errno());
        }
        try {
            int sequence = SEQUENCE.incrementAndGet();
            byte[] request = message.bytes(sequence);
            if (libc.send(socket, request, request.length, 0) != request.length) {
                throw new NetlinkException("sending " + what, Libc.errno());
            }
            int error = acknowledgement(socket, sequence, what);
            if (error != 0) {
                throw new NetlinkException(what, error);
            }
        } finally {
            libc.close(socket);
        }
    }

    /** Reads until the NLMSG_ERROR answering {@code sequence}; returns its errno (0: acknowledged). */
    private static int acknowledgement(int socket, int sequence, String what) {
        byte[] received = new byte[RECEIVE_SIZE];
        while (true) {
            long length = Libc.INSTANCE.recv(socket, received, received.length, 0);
            if (length < 0) {
                throw new NetlinkException("reading the kernel's answer to " + what, Libc.errno());
            }
            ByteBuffer messages = ByteBuffer.wrap(received, 0, (int) length).order(ByteOrder.nativeOrder());
            while (messages.remaining() >= LinkMessage.HEADER_SIZE) {
                int start = messages.position();
                int messageLength = messages.getInt(start);
                int type = messages.getShort(start + 4);
                int messageSequence = messages.getInt(start + 8);
                if (messageLength < LinkMessage.HEADER_SIZE || messageLength > messages.remaining()) {
                    throw new IllegalStateException("malformed netlink answer to " + what);
                }
                if (type == NLMSG_ERROR && messageSequence == sequence) {
                    return -messages.getInt(start + LinkMessage.HEADER_SIZE);
                }
                messages.position(start + (messageLength + 3 & ~3));
            }
        }
    }
}
