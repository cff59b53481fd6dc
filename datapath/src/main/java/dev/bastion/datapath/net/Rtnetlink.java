package dev.bastion.datapath.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Sends one request on a throwaway NETLINK_ROUTE socket and reads the kernel's answers to it: an acknowledgement,
 * one reply, or the parts of a dump. The socket belongs to the network namespace of the calling thread when it is
 * opened, so the request acts (or looks) there.
 */
final class Rtnetlink {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW_CLOEXEC = 3 | 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    /** The kernel fills a dump's datagrams up to what the reader offers, at most about 32 KiB. */
    private static final int RECEIVE_SIZE = 64 * 1024;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Rtnetlink() {
    }

    /**
     * Sends {@code message} (the request numbered by its argument) and returns once the kernel acknowledged it.
     *
     * @param what names the request in errors, e.g. "veth pair bdpa0/bdpb0"
     * @throws NetlinkException when the kernel refuses it
     */
    static void request(IntFunction<byte[]> message, String what) {
        exchange(message, what, answer -> true);
    }

    /** The kernel's messages answering a dump {@code query}, each from its nlmsghdr on. */
    static List<ByteBuffer> dump(RouteQuery query, String what) {
        List<ByteBuffer> answers = new ArrayList<>();
        exchange(query::bytes, what, answers::add);
        return answers;
    }

    /** The kernel's one reply to {@code query} (not a dump), from its nlmsghdr on. */
    static ByteBuffer ask(RouteQuery query, String what) {
        List<ByteBuffer> answers = new ArrayList<>();
        exchange(query::bytes, what, answer -> !answers.add(answer));
        if (answers.isEmpty()) {
            throw new IllegalStateException("the kernel acknowledged " + what + " without an answer");
        }
        return answers.get(0);
    }

    /**
     * Sends the request numbered by a fresh sequence number, then hands each message answering it to
     * {@code answer} until that returns false, the kernel acknowledges, or a dump is done.
     */
    private static void exchange(IntFunction<byte[]> request, String what, Predicate<ByteBuffer> answer) {
        Libc libc = Libc.INSTANCE;
        int socket = libc.socket(AF_NETLINK, SOCK_RAW_CLOEXEC, NETLINK_ROUTE);
        if (socket < 0) {
            throw new NetlinkException("opening a netlink socket for " + what, Libc.errno());
        }
        try {
            int sequence = SEQUENCE.incrementAndGet();
            byte[] bytes = request.apply(sequence);
            if (libc.send(socket, bytes, bytes.length, 0) != bytes.length) {
                throw new NetlinkException("sending " + what, Libc.errno());
            }
            read(socket, sequence, what, answer);
        } finally {
            libc.close(socket);
        }
    }

    private static void read(int socket, int sequence, String what, Predicate<ByteBuffer> answer) {
        while (true) {
            byte[] received = new byte[RECEIVE_SIZE];
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
                messages.position(Math.min(start + (messageLength + 3 & ~3), messages.limit()));
                if (messageSequence != sequence) {
                    continue;
                }
                if (type == NLMSG_ERROR || type == NLMSG_DONE) {
                    // Both carry an int: the negative errno, 0 for an acknowledgement or a dump that went well.
                    int error = messageLength >= LinkMessage.HEADER_SIZE + 4
                            ? -messages.getInt(start + LinkMessage.HEADER_SIZE) : 0;
                    if (error != 0) {
                        throw new NetlinkException(what, error);
                    }
                    return;
                }
                ByteBuffer message = messages.slice(start, messageLength).order(ByteOrder.nativeOrder());
                if (!answer.test(message)) {
                    return;
                }
            }
        }
    }
}
