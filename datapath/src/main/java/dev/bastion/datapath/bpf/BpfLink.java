package dev.bastion.datapath.bpf;

import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.Libc;
import jnr.ffi.Struct;
import jnr.ffi.byref.IntByReference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A BPF link: a program attached to a hook, owned by a file descriptor. Closing the last descriptor detaches
 * the program unless the link is pinned: a pinned link keeps the datapath running when the agent dies, and a
 * restarted agent takes it back with {@link #openPinned(Path)}. Interfaces are resolved in the calling thread's
 * network namespace (see {@link dev.bastion.datapath.net.NetworkNamespace}).
 */
public final class BpfLink implements AutoCloseable {
    /** enum bpf_attach_type. BPF_TCX_* are newer than libbpf 1.1's headers; its bpf_link_create passes them on. */
    private static final int ATTACH_XDP = 37;
    private static final int ATTACH_TCX_INGRESS = 46;
    private static final int ATTACH_TCX_EGRESS = 47;
    private static final int XDP_FLAGS_DRV_MODE = 1 << 2;
    /** enum bpf_xdp_attached: what bpf_xdp_query reports. */
    private static final int XDP_ATTACHED_DRV = 1;
    private static final int XDP_ATTACHED_MULTI = 4;
    private static final int EOPNOTSUPP = 95;
    private static final int EBUSY = 16;
    private static final int EEXIST = 17;
    private static final int EINVAL = 22;
    /** struct bpf_link_info up to the first member of its union (xdp.ifindex, tcx.ifindex). */
    private static final int LINK_INFO_LENGTH = 24;

    private final int fd;
    private final String description;
    private volatile boolean closed;

    private BpfLink(int fd, String description) {
        this.fd = fd;
        this.description = description;
    }

    /**
     * Attaches an XDP program in native (driver) mode. Never falls back to generic (skb) XDP, which drops GSO
     * packets: an interface without native XDP is an error.
     */
    public static BpfLink attachXdp(BpfProgram program, int ifindex) {
        requireType(program, BpfProgram.TYPE_XDP, "an XDP");
        String subject = program + " to " + interfaceName(ifindex);
        LibBpf.LinkCreateOpts opts = new LibBpf.LinkCreateOpts();
        opts.flags.set(XDP_FLAGS_DRV_MODE);
        int fd = LibBpf.INSTANCE.bpf_link_create(program.fd(), ifindex, ATTACH_XDP, Struct.getMemory(opts));
        if (fd < 0) {
            throw new BpfException("attach (native XDP)", subject, fd, xdpHint(-fd, interfaceName(ifindex)));
        }
        BpfLink link = new BpfLink(fd, "XDP link of " + subject);
        int attached = nativeXdpProgramId(ifindex);
        if (attached != program.id()) {
            link.close();
            throw new IllegalStateException(link.description + " did not attach in native mode (the interface's native "
                    + "XDP program is " + (attached == 0 ? "none" : "id " + attached) + ")");
        }
        return link;
    }

    /** Attaches a tc (sched_cls) program to the ingress of an interface as a tcx link (Linux 6.6 and later). */
    public static BpfLink attachTcIngress(BpfProgram program, int ifindex) {
        return attachTcx(program, ifindex, ATTACH_TCX_INGRESS, "tcx ingress");
    }

    /** Attaches a tc (sched_cls) program to the egress of an interface as a tcx link (Linux 6.6 and later). */
    public static BpfLink attachTcEgress(BpfProgram program, int ifindex) {
        return attachTcx(program, ifindex, ATTACH_TCX_EGRESS, "tcx egress");
    }

    private static BpfLink attachTcx(BpfProgram program, int ifindex, int attachType, String hook) {
        requireType(program, BpfProgram.TYPE_SCHED_CLS, "a tc (SEC(\"tc\"))");
        String subject = program + " to " + interfaceName(ifindex);
        int fd = LibBpf.INSTANCE.bpf_link_create(program.fd(), ifindex, attachType, null);
        if (fd < 0) {
            throw new BpfException("attach (" + hook + ")", subject, fd,
                    -fd == EINVAL ? "tcx links need Linux 6.6 or later" : "");
        }
        return new BpfLink(fd, hook + " link of " + subject);
    }

    /** Takes back a link pinned earlier (by this or an earlier process). */
    public static BpfLink openPinned(Path path) {
        int fd = Pins.open(path, "link");
        return new BpfLink(fd, "link pinned at " + path);
    }

    /**
     * The id of the native-mode XDP program on an interface, 0 when there is none (generic-mode programs do not
     * count).
     */
    public static int nativeXdpProgramId(int ifindex) {
        LibBpf.XdpQueryOpts opts = new LibBpf.XdpQueryOpts();
        BpfException.check(LibBpf.INSTANCE.bpf_xdp_query(ifindex, 0, Struct.getMemory(opts)),
                "query XDP programs of", interfaceName(ifindex));
        int mode = opts.attachMode.intValue();
        return mode == XDP_ATTACHED_DRV || mode == XDP_ATTACHED_MULTI ? (int) opts.driverProgramId.get() : 0;
    }

    public int fd() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
        return fd;
    }

    /** Pins the link in bpffs (creating missing directories): the program then stays attached after close(). */
    public void pin(Path path) {
        Pins.pin(fd(), path, description);
    }

    /** Replaces the link's program atomically: every packet sees either the old or the new one. */
    public void update(BpfProgram program) {
        BpfException.check(LibBpf.INSTANCE.bpf_link_update(fd(), program.fd(), null),
                "replace the program of", description + " with " + program);
    }

    /** Detaches the program now, even if the link is pinned (the pin then holds a defunct link). */
    public void detach() {
        BpfException.check(LibBpf.INSTANCE.bpf_link_detach(fd()), "detach", description);
    }

    /** What the kernel says about this link. */
    public Info info() {
        byte[] info = new byte[LINK_INFO_LENGTH];
        IntByReference length = new IntByReference(info.length);
        BpfException.check(LibBpf.INSTANCE.bpf_obj_get_info_by_fd(fd(), info, length), "read info of", description);
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder());
        return new Info(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(16));
    }

    /** Closes this descriptor; the program stays attached only if the link is pinned (or open elsewhere). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.INSTANCE.close(fd);
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * @param type      enum bpf_link_type: {@link #XDP} or {@link #TCX} for links made here
     * @param programId the attached program, as {@link BpfProgram#id()}
     * @param ifindex   the interface, 0 once detached
     */
    public record Info(int type, int id, int programId, int ifindex) {
        public static final int XDP = 6;
        public static final int TCX = 11;
    }

    private static void requireType(BpfProgram program, int type, String kind) {
        if (program.type() != type) {
            throw new IllegalArgumentException(program + " is not " + kind + " program");
        }
    }

    private static String xdpHint(int errno, String interfaceName) {
        return switch (errno) {
            case EOPNOTSUPP -> interfaceName + " has no native XDP support; generic XDP is never used (it drops GSO "
                    + "packets, bulk TCP collapses): use tc mode for it";
            case EBUSY, EEXIST -> interfaceName + " already has an XDP program attached";
            default -> "";
        };
    }

    private static String interfaceName(int ifindex) {
        try {
            return "interface " + Interfaces.name(ifindex) + " (index " + ifindex + ")";
        } catch (IllegalArgumentException e) {
            return "interface index " + ifindex + " (no such interface in this network namespace)";
        }
    }
}
