package dev.bastion.datapath.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Pinning any BPF object (map, program, link) by descriptor into bpffs. */
final class Pins {
    private Pins() {
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
