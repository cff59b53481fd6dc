package dev.bastion.functions.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** A set of Redis command names, looked up from the scanner's byte buffer without making a String. */
final class CommandSet {
    private final byte[][] names;

    CommandSet(List<String> commands) {
        names = new byte[commands.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = commands.get(i).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
    }

    boolean isEmpty() {
        return names.length == 0;
    }

    /** @param upper upper-cased name bytes, {@code upper[0, length)} */
    boolean contains(byte[] upper, int length) {
        outer:
        for (byte[] name : names) {
            if (name.length != length) {
                continue;
            }
            for (int i = 0; i < length; i++) {
                if (name[i] != upper[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
