package dev.bastion.datapath.bpf;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import jnr.ffi.byref.IntByReference;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** A loaded program of a {@link BpfObject}; valid until the object is closed. */
public final class BpfProgram {
    /** enum bpf_prog_type values this package checks before attaching. */
    static final int TYPE_SCHED_CLS = 3;
    static final int TYPE_XDP = 6;

    /** Room for a program that grows the frame (bpf_xdp_adjust_head/tail). */
    private static final int OUTPUT_HEADROOM = 4096;
    /** struct xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex. */
    private static final int XDP_MD_SIZE = 24;
    private static final int PROG_INFO_LENGTH = 8;

    private final String name;
    private final int type;
    private final int fd;
    private final BpfObject owner;

    BpfProgram(String name, int type, int fd, BpfObject owner) {
        this.name = name;
        this.type = type;
        this.fd = fd;
        this.owner = owner;
    }

    public String name() {
        return name;
    }

    public int fd() {
        owner.ensureOpen();
        return fd;
    }

    /** The kernel's id of the program (what bpf_xdp_query and link info report). */
    public int id() {
        byte[] info = new byte[PROG_INFO_LENGTH];
        IntByReference length = new IntByReference(info.length);
        BpfException.check(LibBpf.INSTANCE.bpf_obj_get_info_by_fd(fd(), info, length), "read info of", toString());
        return ByteBuffer.wrap(info).order(ByteOrder.nativeOrder()).getInt(4);
    }

    int type() {
        return type;
    }

    /** Runs the program {@code repeat} times on a copy of {@code frame}, without a context. */
    public TestRun testRun(byte[] frame, int repeat) {
        return testRun(frame, repeat, null);
    }

    /**
     * Runs an XDP program as if {@code frame} arrived on interface {@code ingressIfindex} (which must exist in
     * this thread's network namespace), so that ctx->ingress_ifindex is set.
     */
    public TestRun testRun(byte[] frame, int repeat, int ingressIfindex) {
        Pointer context = Memory.allocateDirect(LibBpf.RUNTIME, XDP_MD_SIZE, true);
        context.putInt(4, frame.length);
        context.putInt(12, ingressIfindex);
        return testRun(frame, repeat, context);
    }

    private TestRun testRun(byte[] frame, int repeat, Pointer context) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, not " + repeat);
        }
        Pointer in = Memory.allocateDirect(LibBpf.RUNTIME, frame.length);
        in.put(0, frame, 0, frame.length);
        int outputCapacity = frame.length + OUTPUT_HEADROOM;
        Pointer out = Memory.allocateDirect(LibBpf.RUNTIME, outputCapacity);
        LibBpf.TestRunOpts opts = new LibBpf.TestRunOpts();
        opts.dataIn.set(in);
        opts.dataSizeIn.set(frame.length);
        opts.dataOut.set(out);
        opts.dataSizeOut.set(outputCapacity);
        opts.repeat.set(repeat);
        if (context != null) {
            opts.ctxIn.set(context);
            opts.ctxSizeIn.set(XDP_MD_SIZE);
        }
        int result = LibBpf.INSTANCE.bpf_prog_test_run_opts(fd(), Struct.getMemory(opts));
        // The options hold bare addresses of these buffers: keep them from being freed during the call.
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(context);
        BpfException.check(result, "test run of", toString());
        byte[] output = new byte[(int) opts.dataSizeOut.get()];
        out.get(0, output, 0, output.length);
        return new TestRun((int) opts.retval.get(), output, opts.duration.get());
    }

    /** Pins the program in bpffs, creating missing directories. */
    public void pin(Path path) {
        Pins.pin(fd(), path, toString());
    }

    @Override
    public String toString() {
        return "program '" + name + "'";
    }
}
