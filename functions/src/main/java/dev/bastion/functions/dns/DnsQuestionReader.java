package dev.bastion.functions.dns;

import java.nio.ByteBuffer;

/**
 * Reads the question section of a DNS message (RFC 1035 4.1): the names a client asks for. Names are read
 * into a reused buffer, lower-cased, dots between labels, no trailing dot. Compression pointers are followed
 * (bounded, never backwards into a loop); labels holding a dot or control bytes are malformed, as they would
 * make the text name differ from what a server resolves.
 */
public final class DnsQuestionReader {
    public static final int HEADER = 12;
    private static final int MAX_NAME = 255;
    private static final int MAX_POINTERS = 16;

    private final StringBuilder name = new StringBuilder(MAX_NAME);
    private ByteBuffer message;
    private int base;
    private int cursor;
    private int questionsLeft;
    private String error;

    /**
     * Starts reading a message occupying {@code message[position, limit)}. Returns false (with {@link #error()})
     * if it is too short for a header or is not a query.
     */
    public boolean start(ByteBuffer message) {
        this.message = message;
        this.base = message.position();
        this.error = null;
        if (message.remaining() < HEADER) {
            return fail("shorter than a DNS header");
        }
        if ((message.get(base + 2) & 0x80) != 0) {
            return fail("a response, not a query");
        }
        questionsLeft = message.getShort(base + 4) & 0xffff;
        cursor = base + HEADER;
        return true;
    }

    public int questionCount() {
        return message.getShort(base + 4) & 0xffff;
    }

    /** Reads the next question into {@link #name()}; false when none is left or on error ({@link #error()}). */
    public boolean next() {
        if (error != null || questionsLeft == 0) {
            return false;
        }
        questionsLeft--;
        int end = readName(cursor);
        if (end < 0) {
            return false;
        }
        if (end + 4 > message.limit()) {
            return fail("question truncated");
        }
        cursor = end + 4; // past QTYPE and QCLASS
        return true;
    }

    /** Reads a name at {@code at}; returns the offset after it in the message (not after pointed-to parts). */
    private int readName(int at) {
        name.setLength(0);
        int limit = message.limit();
        int afterName = -1;
        int pointers = 0;
        int length = 0;
        while (true) {
            if (at >= limit) {
                return failAt("name truncated");
            }
            int len = message.get(at) & 0xff;
            if ((len & 0xc0) == 0xc0) {
                if (at + 1 >= limit) {
                    return failAt("compression pointer truncated");
                }
                int target = base + (((len & 0x3f) << 8) | (message.get(at + 1) & 0xff));
                if (++pointers > MAX_POINTERS || target >= at) {
                    return failAt("compression pointer loops or points forward");
                }
                if (afterName < 0) {
                    afterName = at + 2;
                }
                at = target;
                continue;
            }
            if ((len & 0xc0) != 0) {
                return failAt("unknown label type");
            }
            if (len == 0) {
                return afterName < 0 ? at + 1 : afterName;
            }
            if (at + 1 + len > limit) {
                return failAt("label truncated");
            }
            length += len + 1;
            if (length > MAX_NAME) {
                return failAt("name longer than 255 bytes");
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int i = at + 1; i <= at + len; i++) {
                int c = message.get(i) & 0xff;
                if (c <= 0x20 || c >= 0x7f || c == '.') {
                    return failAt("label holds a dot, space or non-printable byte");
                }
                name.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c));
            }
            at += 1 + len;
        }
    }

    private boolean fail(String why) {
        error = why;
        return false;
    }

    private int failAt(String why) {
        error = why;
        return -1;
    }

    /** The last question's name (reused: copy it to keep it). The root name is empty. */
    public CharSequence name() {
        return name;
    }

    public String error() {
        return error;
    }
}
