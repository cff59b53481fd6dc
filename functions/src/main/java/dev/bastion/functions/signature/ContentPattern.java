package dev.bastion.functions.signature;

import java.io.ByteArrayOutputStream;

/**
 * Reads a literal in Snort/Suricata content syntax: text with bytes in hex between pipes, for example
 * {@code GET|20|/admin} or {@code |0d 0a 0d 0a|}. A pipe or backslash in the text is written {@code \|}, {@code \\}.
 */
final class ContentPattern {
    private ContentPattern() {
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static byte[] parse(String content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length());
        boolean hex = false;
        int pendingNibble = -1;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '|') {
                if (pendingNibble >= 0) {
                    throw new IllegalArgumentException("odd number of hex digits before '|' at " + i);
                }
                hex = !hex;
            } else if (hex) {
                if (c == ' ') {
                    if (pendingNibble >= 0) {
                        throw new IllegalArgumentException("hex byte split by a space at " + i);
                    }
                    continue;
                }
                int d = Character.digit(c, 16);
                if (d < 0) {
                    throw new IllegalArgumentException("'" + c + "' is not a hex digit at " + i);
                }
                if (pendingNibble < 0) {
                    pendingNibble = d;
                } else {
                    out.write(pendingNibble * 16 + d);
                    pendingNibble = -1;
                }
            } else if (c == '\\' && i + 1 < content.length() && (content.charAt(i + 1) == '|' || content.charAt(i + 1) == '\\')) {
                out.write(content.charAt(++i));
            } else if (c > 0xff) {
                throw new IllegalArgumentException("'" + c + "' is not a single byte; write it in |hex|");
            } else {
                out.write(c);
            }
        }
        if (hex) {
            throw new IllegalArgumentException("unclosed '|'");
        }
        if (out.size() == 0) {
            throw new IllegalArgumentException("empty content");
        }
        return out.toByteArray();
    }
}
