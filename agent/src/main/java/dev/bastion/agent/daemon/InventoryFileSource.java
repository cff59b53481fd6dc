package dev.bastion.agent.daemon;

import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/** The static collector as the agent polls it: the inventory file, re-read when its modification time changes. */
public final class InventoryFileSource implements InventorySource {
    private final Path file;
    private FileTime seen;

    public InventoryFileSource(Path file) {
        this.file = file;
    }

    @Override
    public Optional<Inventory> poll() throws Exception {
        FileTime modified = Files.getLastModifiedTime(file);
        if (modified.equals(seen)) {
            return Optional.empty();
        }
        Inventory inventory;
        try {
            inventory = InventoryReader.read(file);
        } finally {
            seen = modified; // a rejected file is reported once, not at every poll
        }
        return Optional.of(inventory);
    }
}
