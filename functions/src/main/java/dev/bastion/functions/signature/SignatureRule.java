package dev.bastion.functions.signature;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.Severity;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One content rule: a literal or a regular expression looked for in a packet's payload, within
 * {@code [offset, offset + depth)} (depth 0: to the end), as Snort and Suricata define them.
 */
record SignatureRule(String id, byte[] content, Pattern regex, boolean noCase, int offset, int depth,
                     Direction direction, SignatureAction action, Severity severity, String message) {

    /** Which packets a rule applies to: the client's, the server's, or both. */
    enum Directions { ORIGINAL, REPLY, BOTH }

    static SignatureRule read(FunctionConfig config, int index) throws ConfigException {
        config.allowOnly("id", "content", "regex", "nocase", "offset", "depth", "direction", "action", "severity", "message");
        String id = config.string("id", "rule-" + index);
        boolean noCase = config.bool("nocase", false);
        String contentText = config.string("content", null);
        String regexText = config.string("regex", null);
        if ((contentText == null) == (regexText == null)) {
            throw config.error("content", "give exactly one of content and regex");
        }
        byte[] content = null;
        Pattern regex = null;
        if (contentText != null) {
            try {
                content = ContentPattern.parse(contentText);
            } catch (IllegalArgumentException e) {
                throw config.error("content", e.getMessage());
            }
        } else {
            try {
                // Bytes are matched as ISO-8859-1 chars, so (?i) folds ASCII only, as nocase does for literals.
                regex = Pattern.compile(regexText, noCase ? Pattern.CASE_INSENSITIVE : 0);
            } catch (PatternSyntaxException e) {
                throw config.error("regex", "not a regular expression: " + e.getDescription());
            }
        }
        int offset = config.integer("offset", 0, 0, 65535);
        int depth = config.integer("depth", 0, 0, 65535);
        if (content != null && depth != 0 && depth < content.length) {
            throw config.error("depth", "depth " + depth + " is shorter than the content (" + content.length + " bytes)");
        }
        Directions directions = config.choice("direction", Directions.class, Directions.BOTH);
        Direction direction = switch (directions) {
            case ORIGINAL -> Direction.ORIGINAL;
            case REPLY -> Direction.REPLY;
            case BOTH -> null;
        };
        SignatureAction action = config.choice("action", SignatureAction.class, SignatureAction.DROP);
        Severity severity = config.choice("severity", Severity.class, Severity.HIGH);
        String message = config.string("message", "signature " + id + " matched");
        return new SignatureRule(id, content, regex, noCase, offset, depth, direction, action, severity, message);
    }

    boolean appliesTo(Direction packetDirection) {
        return direction == null || direction == packetDirection;
    }

    /** Whether a match at {@code [start, end)} of the payload (or stream) lies inside this rule's window. */
    boolean inWindow(long start, long end) {
        return start >= offset && (depth == 0 || end <= offset + depth);
    }
}
