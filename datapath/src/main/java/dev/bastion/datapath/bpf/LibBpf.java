package dev.bastion.datapath.bpf;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;

/**
 * The libbpf 1.x functions this package calls (libbpf.so.1). Functions returning int return 0 or a result on
 * success and -errno on failure; those returning a pointer return NULL and set errno. Struct layouts follow
 * /usr/include/bpf/bpf.h and libbpf.h of libbpf 1.1; every options struct starts with its own size, so libbpf
 * accepts them from older or newer callers. Internal to this package: public only because jnr-ffi implements it
 * from another class loader.
 */
public interface LibBpf {
    LibBpf INSTANCE = load();
    Runtime RUNTIME = Runtime.getRuntime(INSTANCE);

    private static LibBpf load() {
        try {
            LibBpf libbpf = LibraryLoader.create(LibBpf.class).failImmediately().load("bpf");
            LibbpfLog.install(libbpf);
            return libbpf;
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("libbpf.so.1 not found: install libbpf1 (scripts/bootstrap)", e);
        }
    }

    // bpf_object

    @SaveError
    Pointer bpf_object__open_file(String path, Pointer opts);

    @SaveError
    Pointer bpf_object__open_mem(Pointer buffer, @size_t long size, Pointer opts);

    int bpf_object__load(Pointer object);

    void bpf_object__close(Pointer object);

    Pointer bpf_object__find_map_by_name(Pointer object, String name);

    Pointer bpf_object__find_program_by_name(Pointer object, String name);

    Pointer bpf_object__next_map(Pointer object, Pointer previous);

    Pointer bpf_object__next_program(Pointer object, Pointer previous);

    // bpf_map (libbpf's view of a map in an object)

    int bpf_map__fd(Pointer map);

    String bpf_map__name(Pointer map);

    int bpf_map__type(Pointer map);

    int bpf_map__key_size(Pointer map);

    int bpf_map__value_size(Pointer map);

    int bpf_map__max_entries(Pointer map);

    int bpf_map__map_flags(Pointer map);

    int bpf_map__reuse_fd(Pointer map, int fd);

    // bpf_program

    int bpf_program__fd(Pointer program);

    String bpf_program__name(Pointer program);

    int bpf_program__type(Pointer program);

    // thin wrappers over the bpf() syscall

    int bpf_map_update_elem(int fd, @In byte[] key, @In byte[] value, long flags);

    int bpf_map_lookup_elem(int fd, @In byte[] key, @Out byte[] value);

    int bpf_map_delete_elem(int fd, @In byte[] key);

    int bpf_map_get_next_key(int fd, @In byte[] key, @Out byte[] nextKey);

    int bpf_map_update_batch(int fd, @In byte[] keys, @In byte[] values, IntByReference count, Pointer opts);

    int bpf_obj_pin(int fd, String path);

    int bpf_obj_get(String path);

    int bpf_obj_get_info_by_fd(int fd, @Out byte[] info, IntByReference infoLength);

    int bpf_prog_test_run_opts(int programFd, Pointer opts);

    int bpf_link_create(int programFd, int target, int attachType, Pointer opts);

    int bpf_link_update(int linkFd, int newProgramFd, Pointer opts);

    int bpf_link_detach(int linkFd);

    int bpf_xdp_query(int ifindex, int flags, Pointer opts);

    // ring buffer

    interface SampleCallback {
        @Delegate
        int sample(Pointer context, Pointer data, @size_t long size);
    }

    @SaveError
    Pointer ring_buffer__new(int mapFd, SampleCallback callback, Pointer context, Pointer opts);

    int ring_buffer__poll(Pointer ringBuffer, int timeoutMillis);

    void ring_buffer__free(Pointer ringBuffer);

    // library

    interface PrintCallback {
        @Delegate
        int print(int level, Pointer format, Pointer vaList);
    }

    Pointer libbpf_set_print(PrintCallback callback);

    int libbpf_num_possible_cpus();

    int libbpf_strerror(int error, @Out byte[] buffer, @size_t long size);

    /** An options struct: starts with its own size, lives in zeroed native memory of its own. */
    abstract class Options extends Struct {
        final size_t sz = new size_t();

        Options() {
            super(RUNTIME);
        }

        /** Called by subclass constructors, once all fields are laid out. */
        final void allocate() {
            int size = Struct.size(this);
            useMemory(Memory.allocateDirect(RUNTIME, size, true));
            sz.set(size);
        }
    }

    /** struct bpf_object_open_opts, up to object_name: all this package sets. */
    final class ObjectOpenOpts extends Options {
        final Pointer objectName = new Pointer();

        ObjectOpenOpts() {
            allocate();
        }
    }

    /** struct bpf_test_run_opts, up to duration (flags, cpu and batch_size stay 0). */
    final class TestRunOpts extends Options {
        final Pointer dataIn = new Pointer();
        final Pointer dataOut = new Pointer();
        final Unsigned32 dataSizeIn = new Unsigned32();
        final Unsigned32 dataSizeOut = new Unsigned32();
        final Pointer ctxIn = new Pointer();
        final Pointer ctxOut = new Pointer();
        final Unsigned32 ctxSizeIn = new Unsigned32();
        final Unsigned32 ctxSizeOut = new Unsigned32();
        final Unsigned32 retval = new Unsigned32();
        final Signed32 repeat = new Signed32();
        final Unsigned32 duration = new Unsigned32();

        TestRunOpts() {
            allocate();
        }
    }

    /** struct bpf_link_create_opts, up to flags: all that links of this package set. */
    final class LinkCreateOpts extends Options {
        final Unsigned32 flags = new Unsigned32();

        LinkCreateOpts() {
            allocate();
        }
    }

    /** struct bpf_xdp_query_opts. */
    final class XdpQueryOpts extends Options {
        final Unsigned32 programId = new Unsigned32();
        final Unsigned32 driverProgramId = new Unsigned32();
        final Unsigned32 hardwareProgramId = new Unsigned32();
        final Unsigned32 genericProgramId = new Unsigned32();
        final Unsigned8 attachMode = new Unsigned8();

        XdpQueryOpts() {
            allocate();
        }
    }
}
