package dev.bastion.datapath.net;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs code inside another network namespace: interface lookups, ethtool ioctls, XDP and tcx attachment
 * resolve interfaces in the namespace of the calling thread. The code runs on a fresh thread that enters the
 * namespace (setns affects one thread only) and ends with it, so no thread of the JVM stays in there.
 * Descriptors it creates (links, sockets) remain usable from every thread.
 */
public final class NetworkNamespace {
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    /** Where `ip netns add` creates named namespaces. */
    private static final Path NAMED = Path.of("/run/netns");

    private NetworkNamespace() {
    }

    /** Runs {@code action} in the namespace `ip netns` knows as {@code name}. */
    public static <T> T call(String name, Supplier<T> action) {
        return call(NAMED.resolve(name), action);
    }

    /**
     * Runs {@code action} in the namespace of a namespace file: a bind mount under /run/netns, or
     * /proc/PID/ns/net of a container's process.
     */
    public static <T> T call(Path namespace, Supplier<T> action) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                enter(namespace);
                result.set(action.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "netns " + namespace);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running in network namespace " + namespace, e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return result.get();
    }

    /** As {@link #call(String, Supplier)}, for code without a result. */
    public static void run(String name, Runnable action) {
        call(name, () -> {
            action.run();
            return null;
        });
    }

    /**
     * A descriptor of the namespace file {@code namespace}, for the caller to close.
     *
     * @throws IllegalArgumentException when the file cannot be opened
     */
    static int open(Path namespace) {
        Libc libc = Libc.INSTANCE;
        int fd = libc.open(namespace.toString(), O_RDONLY_CLOEXEC);
        if (fd < 0) {
            throw new IllegalArgumentException("cannot open network namespace " + namespace + ": "
                    + libc.strerror(Libc.errno()));
        }
        return fd;
    }

    private static void enter(Path namespace) {
        Libc libc = Libc.INSTANCE;
        int fd = open(namespace);
        try {
            if (libc.setns(fd, CLONE_NEWNET) != 0) {
                throw new IllegalStateException("cannot enter network namespace " + namespace + ": "
                        + libc.strerror(Libc.errno()));
            }
        } finally {
            libc.close(fd);
        }
    }
}
