package dev.bastion.datapath.net;

import java.util.function.Consumer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** One interface ioctl (struct ifreq) on a throwaway socket, in the calling thread's network namespace. */
final class InterfaceRequest {
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM_CLOEXEC = 2 | 0x80000;
    /** struct ifreq: char ifr_name[16], then a 24-byte union (ifr_data, ifr_hwaddr, ...). */
    private static final int IFREQ_SIZE = 40;
    static final int IFNAMSIZ = 16;

    private InterfaceRequest() {
    }

    /** Runs ioctl {@code request} on {@code interfaceName} after {@code prepare} filled the union; returns the ifreq. */
    static Pointer call(String interfaceName, long request, String what, Consumer<Pointer> prepare) {
        byte[] name = Interfaces.nameBytes(interfaceName);
        Libc libc = Libc.INSTANCE;
        Pointer ifreq = Memory.allocateDirect(Libc.RUNTIME, IFREQ_SIZE, true);
        ifreq.put(0, name, 0, name.length);
        prepare.accept(ifreq);
        int socket = libc.socket(AF_INET, SOCK_DGRAM_CLOEXEC, 0);
        if (socket < 0) {
            throw new IllegalStateException("cannot open a socket for " + what + ": " + libc.strerror(Libc.errno()));
        }
        try {
            if (libc.ioctl(socket, request, ifreq) != 0) {
                throw new IllegalStateException(what + " on " + interfaceName + " failed: "
                        + libc.strerror(Libc.errno()));
            }
            return ifreq;
        } finally {
            libc.close(socket);
        }
    }
}
