package dev.bastion.policies.assistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.policies.model.Protocol;
import dev.bastion.policies.source.InvalidSourceException;
import dev.bastion.policies.source.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a flow log: JSON lines shaped like the agent's flow records ({@code at}, {@code srcContainer},
 * {@code dstContainer}, {@code protocol}, {@code dstPort}, {@code allowed}; other fields are ignored). Blank
 * lines are skipped; any bad line rejects the file, every problem reported with its line and field.
 */
public final class FlowLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowLog() {
    }

    public static List<FlowObservation> read(Path file) throws IOException, InvalidSourceException {
        List<FlowObservation> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (!line.isBlank()) {
                    parse(file, number, line, problems).ifPresent(out::add);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSourceException(problems);
        }
        return out;
    }

    private static Optional<FlowObservation> parse(Path file, int line, String text, List<Problem> problems) {
        JsonNode flow;
        try {
            flow = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            problems.add(new Problem(file, line, "(json)", e.getOriginalMessage()));
            return Optional.empty();
        }
        int before = problems.size();
        Instant at = instant(file, line, flow.path("at"), problems);
        Protocol protocol = protocol(file, line, flow.path("protocol"), problems);
        JsonNode port = flow.path("dstPort");
        if (!port.canConvertToInt() || port.asInt() < 0 || port.asInt() > 65535) {
            problems.add(new Problem(file, line, "dstPort", "expected a port number 0..65535, got " + port));
        }
        JsonNode allowed = flow.path("allowed");
        if (!allowed.isBoolean()) {
            problems.add(new Problem(file, line, "allowed", "expected true or false, got " + allowed));
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new FlowObservation(at, container(flow.path("srcContainer")), container(flow.path("dstContainer")),
                protocol, port.asInt(), allowed.asBoolean()));
    }

    private static Optional<String> container(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? Optional.of(node.asText()) : Optional.empty();
    }

    /** ISO-8601 text, or seconds since the epoch as the agent's JSON writes them when dates are numbers. */
    private static Instant instant(Path file, int line, JsonNode at, List<Problem> problems) {
        try {
            if (at.isNumber()) {
                BigDecimal seconds = at.decimalValue();
                return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
            if (at.isTextual()) {
                return Instant.parse(at.asText());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(new Problem(file, line, "at", "expected an ISO-8601 time like 2026-11-30T10:00:00Z, got " + at));
        return Instant.EPOCH;
    }

    private static Protocol protocol(Path file, int line, JsonNode node, List<Problem> problems) {
        String text = node.asText("").toLowerCase(Locale.ROOT);
        return switch (text) {
            case "tcp", "6" -> Protocol.TCP;
            case "udp", "17" -> Protocol.UDP;
            case "icmp", "1" -> Protocol.ICMP;
            default -> {
                problems.add(new Problem(file, line, "protocol", "expected tcp, udp or icmp, got " + node));
                yield Protocol.ANY;
            }
        };
    }
}
