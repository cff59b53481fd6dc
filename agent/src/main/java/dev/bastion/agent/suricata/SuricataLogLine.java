package dev.bastion.agent.suricata;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One line of Suricata's console log in the format the generated configuration asks for ({@link #FORMAT}):
 * {@code <Notice> [threads] Threads created -> W: 2 FM: 1 FR: 1   Engine started.}
 */
record SuricataLogLine(Level level, String text) {

    /** Suricata's log format: its level in angle brackets, then its subsystem; the message follows. */
    static final String FORMAT = "<%d> [%S] ";
    private static final Pattern LINE = Pattern.compile("<(\\w+)> (.*)");

    static SuricataLogLine parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return new SuricataLogLine(Level.INFO, line);
        }
        return new SuricataLogLine(level(m.group(1)), m.group(2));
    }

    private static Level level(String suricataLevel) {
        return switch (suricataLevel.toLowerCase(Locale.ROOT)) {
            case "emergency", "alert", "critical", "error" -> Level.ERROR;
            case "warning" -> Level.WARN;
            case "notice", "info" -> Level.INFO;
            default -> Level.DEBUG; // perf, config, debug
        };
    }

    /** Suricata prints this once all capture and detection threads run. */
    boolean engineStarted() {
        return text.contains("Engine started");
    }

    void logTo(Logger log, String instance) {
        log.atLevel(level).log("suricata {}: {}", instance, text);
    }
}
