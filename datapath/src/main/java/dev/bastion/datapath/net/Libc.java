package dev.bastion.datapath.net;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few C library functions the datapath's control plane needs (file descriptors, interfaces, ioctl,
 * netlink, namespaces). Internal to the datapath module: public only because two of its packages use it.
 */
public interface Libc {
    Libc INSTANCE = LibraryLoader.create(Libc.class).failImmediately().load("c");
    Runtime RUNTIME = Runtime.getRuntime(INSTANCE);

    /** errno of the last call on this thread to a function marked {@code @SaveError}. */
    static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    String strerror(int errno);

    @SaveError
    int close(int fd);

    @SaveError
    int open(String path, int flags);

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    @ssize_t long send(int fd, @In byte[] buffer, @size_t long length, int flags);

    @SaveError
    @ssize_t long recv(int fd, @Out byte[] buffer, @size_t long length, int flags);

    @SaveError
    int ioctl(int fd, long request, Pointer argument);

    @SaveError
    int setns(int fd, int namespaceType);

    @SaveError
    int if_nametoindex(String name);

    @SaveError
    Pointer if_indextoname(int index, @Out byte[] name);

    int vsnprintf(Pointer buffer, @size_t long size, Pointer format, Pointer vaList);
}
