package dev.bastion.agent.suricata;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Turns one EVE JSON record into a typed event. Event types the agent does not use are skipped. */
final class EveParser {
    /** Suricata writes 2026-11-30T17:22:06.128543+0000: microseconds, and an offset without a colon. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendOffset("+HHMM", "+0000")
            .toFormatter();

    private EveParser() {
    }

    /** @throws IllegalArgumentException naming the field when a record lacks what its type requires */
    static Optional<EveEvent> parse(JsonNode record) {
        String type = record.path("event_type").asText("");
        return switch (type) {
            case "alert" -> Optional.of(alert(record));
            case "drop" -> Optional.of(drop(record));
            case "flow" -> Optional.of(flow(record));
            case "stats" -> Optional.of(stats(record));
            default -> Optional.empty();
        };
    }

    private static EveAlert alert(JsonNode record) {
        JsonNode alert = required(record, "alert", "alert");
        String action = text(alert, "alert.action");
        return new EveAlert(instant(record, "timestamp"), record.path("flow_id").asLong(), tuple(record),
                switch (action) {
                    case "allowed" -> EveAlert.Action.ALLOWED;
                    case "blocked" -> EveAlert.Action.BLOCKED;
                    default -> throw new IllegalArgumentException("EVE alert: unknown alert.action '" + action + "'");
                },
                number(alert, "alert.signature_id"), alert.path("signature").asText(""),
                alert.path("category").asText(""), (int) number(alert, "alert.severity"));
    }

    private static EveDrop drop(JsonNode record) {
        JsonNode sid = record.path("alert").path("signature_id");
        return new EveDrop(instant(record, "timestamp"), record.path("flow_id").asLong(), tuple(record),
                record.path("drop").path("reason").asText(""),
                sid.isNumber() ? OptionalLong.of(sid.asLong()) : OptionalLong.empty());
    }

    private static EveFlow flow(JsonNode record) {
        JsonNode flow = required(record, "flow", "flow");
        return new EveFlow(instant(record, "timestamp"), record.path("flow_id").asLong(), tuple(record),
                record.path("app_proto").asText(""),
                number(flow, "flow.pkts_toserver"), number(flow, "flow.pkts_toclient"),
                number(flow, "flow.bytes_toserver"), number(flow, "flow.bytes_toclient"),
                instant(flow, "start"), instant(flow, "end"),
                flow.path("state").asText(""), flow.path("reason").asText(""), flow.path("alerted").asBoolean(false));
    }

    private static EveStats stats(JsonNode record) {
        JsonNode stats = required(record, "stats", "stats");
        Map<String, Long> counters = new TreeMap<>();
        flatten("", stats, counters);
        return new EveStats(instant(record, "timestamp"), stats.path("uptime").asLong(), counters);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Long> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix + field.getKey();
            if (field.getValue().isObject()) {
                flatten(name + ".", field.getValue(), into);
            } else if (field.getValue().isNumber()) {
                into.put(name, field.getValue().asLong());
            }
        }
    }

    private static EveTuple tuple(JsonNode record) {
        return new EveTuple(text(record, "src_ip"), record.path("src_port").asInt(), text(record, "dest_ip"),
                record.path("dest_port").asInt(), text(record, "proto"));
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        try {
            return OffsetDateTime.parse(value, TIMESTAMP).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("EVE record: " + field + " '" + value + "' is not a timestamp");
        }
    }

    /** {@code name} is the field's full path, for the message. */
    private static JsonNode required(JsonNode node, String field, String name) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("EVE " + node.path("event_type").asText("record") + ": no " + name);
        }
        return value;
    }

    private static String text(JsonNode node, String path) {
        return required(node, path.substring(path.lastIndexOf('.') + 1), path).asText();
    }

    private static long number(JsonNode node, String path) {
        JsonNode value = required(node, path.substring(path.lastIndexOf('.') + 1), path);
        if (!value.isNumber()) {
            throw new IllegalArgumentException("EVE record: " + path + " '" + value + "' is not a number");
        }
        return value.asLong();
    }
}
