package dev.bastion.bridge.xsk;

/** A failed AF_XDP call: names the operation, the interface or UMEM, and the kernel's reason. */
public final class XskException extends RuntimeException {
    private final int errno;

    XskException(String operation, int errno) {
        super(operation + ": " + XdpSyscalls.INSTANCE.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** Throws for a negative return value of a call that sets errno. */
    static long check(long result, String operation) {
        if (result < 0) {
            throw new XskException(operation, XdpSyscalls.errno());
        }
        return result;
    }
}
