package dev.bastion.bridge.xsk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Sleeps until one of a set of sockets has received frames (poll(2) for POLLIN), so that an idle bridge does
 * not spin. The set is fixed; build a new one when sockets come or go.
 */
public final class SocketPoll {
    private static final int POLLIN = 1;
    private static final int POLLFD_SIZE = 8;

    private final byte[] pollfds;
    private final int count;

    public SocketPoll(XskSocket... sockets) {
        this.count = sockets.length;
        ByteBuffer fds = ByteBuffer.allocate(count * POLLFD_SIZE).order(ByteOrder.nativeOrder());
        // struct pollfd: int fd, short events, short revents
        for (XskSocket socket : sockets) {
            fds.putInt(socket.fd()).putShort((short) POLLIN).putShort((short) 0);
        }
        this.pollfds = fds.array();
    }

    /** Waits at most {@code timeoutMillis}; returns how many sockets have frames (0 on timeout or a signal). */
    public int await(int timeoutMillis) {
        if (count == 0) {
            sleep(timeoutMillis);
            return 0;
        }
        int ready = XdpSyscalls.INSTANCE.poll(pollfds, count, timeoutMillis);
        return Math.max(ready, 0);
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
