package dev.bastion.agent.cli;

import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Loads an inventory for a command, printing every problem of a rejected file. */
final class InventoryFiles {
    private InventoryFiles() {
    }

    static Optional<Inventory> load(Path file, PrintWriter err) {
        try {
            return Optional.of(InventoryReader.read(file));
        } catch (InvalidSourceException e) {
            err.println("error: " + file + " was rejected; nothing was changed:");
            e.problems().forEach(p -> err.println("  " + p));
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
        }
        err.flush();
        return Optional.empty();
    }
}
