package dev.bastion.datapath.net;

/**
 * The kernel refused a netlink request. The message names what was asked and the kernel's reason;
 * {@link #errno()} lets callers react to specific errors (EEXIST, ENODEV...).
 */
public class NetlinkException extends IllegalStateException {
    private final int errno;

    NetlinkException(String what, int errno) {
        super(what + ": " + Libc.INSTANCE.strerror(errno));
        this.errno = errno;
    }

    /** The positive errno. */
    public int errno() {
        return errno;
    }
}
