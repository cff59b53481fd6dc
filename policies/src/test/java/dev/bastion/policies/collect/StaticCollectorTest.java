package dev.bastion.policies.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticCollectorTest {
    @TempDir
    Path dir;

    private Path file;
    private String original;

    @BeforeEach
    void copyAnInventory() throws Exception {
        file = dir.resolve("inventory.yaml");
        original = Files.readString(Path.of("../examples/topologies/kill-chain.yaml"));
        Files.writeString(file, original);
    }

    @Test
    void reportsTheFileThenOnlyItsChanges() throws Exception {
        try (StaticCollector collector = new StaticCollector(file)) {
            Inventory first = collector.poll().orElseThrow();
            assertEquals(5, first.containers().size());
            assertEquals(Optional.empty(), collector.poll());

            Files.writeString(file, original + "\n# a comment changes no inventory\n");
            assertEquals(Optional.empty(), collector.poll());

            Files.writeString(file, original.replace("172.17.0.5", "172.17.0.9"));
            Inventory moved = collector.poll().orElseThrow();
            assertEquals("172.17.0.9", moved.container("redis-guest").orElseThrow().ip().orElseThrow().toString());
        }
    }

    @Test
    void aRejectedOrMissingFileKeepsTheLastGoodInventory() throws Exception {
        try (StaticCollector collector = new StaticCollector(file)) {
            assertTrue(collector.poll().isPresent());
            Files.writeString(file, original.replace("172.17.0.5", "172.18.0.5"));
            InvalidSourceException rejected = assertThrows(InvalidSourceException.class, collector::poll);
            assertTrue(rejected.getMessage().contains("inventory.yaml:"), rejected.getMessage());
            assertEquals(Optional.empty(), collector.poll(), "a rejection is reported once");
            Files.delete(file);
            assertEquals(Optional.empty(), collector.poll());
            Files.writeString(file, original.replace("172.17.0.5", "172.17.0.6"));
            assertTrue(collector.poll().isPresent(), "a good file again is taken");
        }
    }
}
