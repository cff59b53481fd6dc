package dev.bastion.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCommandTest extends CliTest {
    @TempDir
    Path dir;


    @Test
    void badFileIsRejectedWithFileLineAndFieldBeforeAnythingRuns() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                apiVersion: bastion.dev/v1
                kind: Inventory
                name: bad
                networks:
                  - name: bridge
                    subnet: 10.1.0.0/24
                    gateway: 10.1.0.1
                containers:
                  - name: a
                    ip: 10.2.0.5
                """);
        assertEquals(ExitCodes.INVALID_INPUT, bastion("lab", "up", file.toString()));
        assertTrue(err.toString().contains(file + ":10: containers[0].ip: 10.2.0.5 is outside the subnet"), err.toString());
        assertTrue(err.toString().contains("nothing was changed"), err.toString());
    }

    @Test
    void missingFileIsAnInputError() {
        assertEquals(ExitCodes.INVALID_INPUT, bastion("lab", "status", dir.resolve("none.yaml").toString()));
        assertTrue(err.toString().contains("cannot read"), err.toString());
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        assertEquals(ExitCodes.INVALID_INPUT, bastion("lab", "sideways"));
        assertTrue(err.toString().contains("Usage"), err.toString());
    }
}
