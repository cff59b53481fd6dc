package dev.bastion.bridge.xsk;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The C library calls AF_XDP needs: the socket, its options, the ring mappings and the TX kick. Raw syscalls
 * rather than libxdp, whose ring helpers are static inline (not callable) and whose socket setup would load
 * its own XDP program. Public only because jnr-ffi generates its implementation in another class loader.
 */
public interface XdpSyscalls {
    XdpSyscalls INSTANCE = LibraryLoader.create(XdpSyscalls.class).failImmediately().load("c");
    Runtime RUNTIME = Runtime.getRuntime(INSTANCE);

    int AF_XDP = 44;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_XDP = 283;
    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 0x01;
    int MAP_PRIVATE = 0x02;
    int MAP_ANONYMOUS = 0x20;
    int MAP_POPULATE = 0x8000;
    int MSG_DONTWAIT = 0x40;
    int EAGAIN = 11;
    int EBUSY = 16;
    int ENOBUFS = 105;
    long MAP_FAILED = -1L;

    static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    String strerror(int errno);

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int close(int fd);

    @SaveError
    int setsockopt(int fd, int level, int option, @In byte[] value, int length);

    @SaveError
    int getsockopt(int fd, int level, int option, @Out byte[] value, IntByReference length);

    @SaveError
    int bind(int fd, @In byte[] address, int length);

    @SaveError
    long mmap(Pointer address, @size_t long length, int protection, int flags, int fd, long offset);

    @SaveError
    int munmap(long address, @size_t long length);

    @SaveError
    @ssize_t
    long sendto(int fd, Pointer buffer, @size_t long length, int flags, Pointer address, int addressLength);

    @SaveError
    int poll(@In @Out byte[] fds, long count, int timeoutMillis);
}
