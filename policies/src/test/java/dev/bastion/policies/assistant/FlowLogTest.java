package dev.bastion.policies.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bastion.policies.model.Protocol;
import dev.bastion.policies.source.InvalidSourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowLogTest {
    @TempDir
    Path dir;

    @Test
    void readsTheAgentsFlowRecords() throws Exception {
        Path file = dir.resolve("flows.jsonl");
        Files.writeString(file, """
                {"at":"2026-11-30T10:00:00Z","srcContainer":"nginx-user","dstContainer":"redis-user","srcIp":"172.17.0.2","dstIp":"172.17.0.3","protocol":"tcp","srcPort":40000,"dstPort":6379,"allowed":true,"reason":"policy"}

                {"at":1764496800.5,"srcContainer":null,"dstContainer":"redis-user","protocol":"udp","dstPort":53,"allowed":false}
                """);
        List<FlowObservation> flows = FlowLog.read(file);
        assertEquals(new FlowObservation(Instant.parse("2026-11-30T10:00:00Z"), Optional.of("nginx-user"),
                Optional.of("redis-user"), Protocol.TCP, 6379, true), flows.get(0));
        assertEquals(Instant.ofEpochSecond(1764496800, 500_000_000), flows.get(1).at());
        assertEquals(Optional.empty(), flows.get(1).srcContainer());
    }

    @Test
    void rejectsBadLinesWithLineAndField() throws Exception {
        Path file = dir.resolve("flows.jsonl");
        Files.writeString(file, """
                {"at":"2026-11-30T10:00:00Z","srcContainer":"a","dstContainer":"b","protocol":"tcp","dstPort":80,"allowed":true}
                {"at":"yesterday","srcContainer":"a","dstContainer":"b","protocol":"sctp","dstPort":80,"allowed":"yes"}
                {not json
                """);
        InvalidSourceException e = assertThrows(InvalidSourceException.class, () -> FlowLog.read(file));
        assertEquals(List.of("2:at", "2:protocol", "2:allowed", "3:(json)"),
                e.problems().stream().map(p -> p.line() + ":" + p.field()).toList(), e.getMessage());
    }
}
