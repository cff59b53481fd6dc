package dev.bastion.datapath.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** A unique directory under /sys/fs/bpf/bastion/ for a test's pins, removed with everything in it. */
final class PinDirectory implements AutoCloseable {
    private final Path path;

    PinDirectory() {
        path = Path.of("/sys/fs/bpf/bastion", "test-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
