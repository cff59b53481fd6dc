package dev.bastion.policies.collect;

import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory file as a collector: re-read when its bytes change. A file that is rejected (or missing)
 * changes nothing: the last good inventory stays in force; a rejection is thrown once per version of the file.
 */
public final class StaticCollector implements Collector {
    private static final Logger LOG = LoggerFactory.getLogger(StaticCollector.class);

    private final Path file;
    private byte[] lastBytes;
    private Inventory last;

    public StaticCollector(Path file) {
        this.file = file;
    }

    @Override
    public Optional<Inventory> poll() throws InvalidSourceException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            if (lastBytes == null || lastBytes.length > 0) {
                LOG.warn("cannot read inventory {}: {}; keeping the last good one", file, e.toString());
            }
            lastBytes = new byte[0];
            return Optional.empty();
        }
        if (Arrays.equals(bytes, lastBytes)) {
            return Optional.empty();
        }
        lastBytes = bytes;
        Inventory inventory = InventoryReader.parse(file, new String(bytes, StandardCharsets.UTF_8));
        if (inventory.equals(last)) {
            return Optional.empty();
        }
        last = inventory;
        return Optional.of(inventory);
    }
}
