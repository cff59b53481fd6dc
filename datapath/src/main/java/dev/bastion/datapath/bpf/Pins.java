package dev.bastion.datapath.bpf;

import dev.bastion.datapath.net.Libc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Pinning BPF objects (maps, programs, links) into bpffs and opening them again. */
final class Pins {
    private Pins() {
    }

    /**
     * Opens a pinned object and checks it is of the expected kind ("map", "link" or "prog"): bpffs holds all
     * three, and /proc/self/fdinfo tells them apart.
     */
    static int open(Path path, String kind) {
        int fd = BpfException.check(LibBpf.INSTANCE.bpf_obj_get(path.toString()), "open pinned " + kind, path.toString());
        String fdinfo;
        try {
            fdinfo = Files.readString(Path.of("/proc/self/fdinfo", String.valueOf(fd)));
        } catch (IOException e) {
            Libc.INSTANCE.close(fd);
            throw new UncheckedIOException("cannot read the fdinfo of " + path, e);
        }
        if (!fdinfo.contains("\n" + kind + "_type:")) {
            Libc.INSTANCE.close(fd);
            throw new IllegalArgumentException(path + " is not a pinned " + kind);
        }
        return fd;
    }

    static void pin(int fd, Path path, String subject) {
        Path parent = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + parent + " to pin " + subject + " (is bpffs mounted?)", e);
        }
        BpfException.check(LibBpf.INSTANCE.bpf_obj_pin(fd, path.toString()), "pin " + subject + " at", path.toString());
    }
}
