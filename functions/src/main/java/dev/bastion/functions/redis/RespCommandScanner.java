package dev.bastion.functions.redis;

import dev.bastion.chain.spi.PacketView;

/**
 * Finds the command name of every Redis request in a client's byte stream, as the stream arrives in pieces.
 * Understands both request forms Redis accepts: RESP arrays of bulk strings ({@code *2\r\n$3\r\nGET\r\n...})
 * and inline commands ({@code PING\r\n}). Arguments are skipped, not buffered, so a 1 GB value costs nothing;
 * only the first {@value #MAX_NAME} bytes of a name are kept. Pull style: {@link #scan} stops at each command
 * name so that the caller decides before reading on; it reads the packet's payload in place and allocates
 * nothing.
 */
public final class RespCommandScanner {
    /** No Redis command name is longer; longer names are kept truncated and can only match nothing. */
    public static final int MAX_NAME = 64;
    // Redis's own limits (proto-max-bulk-len default, multibulk count and inline size bounds).
    private static final long MAX_BULK = 512L * 1024 * 1024;
    private static final long MAX_ARGS = 1024 * 1024;
    private static final int MAX_INLINE = 64 * 1024;

    public enum Result { NEED_MORE, COMMAND, MALFORMED }

    private enum State {
        START, ARRAY_COUNT, ARRAY_LF, BULK_MARK, BULK_LENGTH, BULK_LF, BULK_DATA, BULK_CR, BULK_END_LF,
        INLINE_NAME, INLINE_QUOTED, INLINE_REST, BROKEN
    }

    private final byte[] name = new byte[MAX_NAME];
    private int nameLength;
    private boolean nameTruncated;
    private State state = State.START;
    private long number;
    private int digits;
    private boolean negative;
    private long argsLeft;
    private boolean firstArg;
    private long bulkLeft;
    private int inlineLength;
    private byte quote;
    private String error;
    private int position;

    /**
     * Reads the packet's payload from index {@code from} until a command name is complete, the payload runs
     * out, or the stream is not RESP. After {@link Result#COMMAND}, {@link #position()} is the index just past
     * what was read: call again from there to go on. After {@link Result#MALFORMED} the scanner stays broken:
     * a stream that lost its framing cannot be trusted.
     */
    public Result scan(PacketView packet, int from) {
        position = from;
        if (state == State.BROKEN) {
            return Result.MALFORMED;
        }
        int end = packet.payloadLength();
        int at = from;
        try {
            while (at < end) {
                switch (state) {
                    case BULK_DATA -> {
                        int take = (int) Math.min(bulkLeft, end - at);
                        if (firstArg) {
                            for (int i = 0; i < take; i++) {
                                keepNameByte(packet.payloadByte(at + i));
                            }
                        }
                        at += take;
                        bulkLeft -= take;
                        if (bulkLeft == 0) {
                            state = State.BULK_CR;
                        }
                    }
                    default -> {
                        Result r = step(packet.payloadByte(at++));
                        if (r != Result.NEED_MORE) {
                            return r;
                        }
                    }
                }
            }
            return Result.NEED_MORE;
        } finally {
            position = at;
        }
    }

    /** Payload index just past the bytes the last {@link #scan} read. */
    public int position() {
        return position;
    }

    private Result step(byte b) {
        switch (state) {
            case START -> {
                startCommand();
                if (b == '*') {
                    startNumber(State.ARRAY_COUNT);
                } else if (b == '\r' || b == '\n' || b == ' ' || b == '\t') {
                    return Result.NEED_MORE; // Redis skips empty inline lines
                } else if (b == '"' || b == '\'') {
                    quote = b;
                    inlineLength = 1;
                    state = State.INLINE_QUOTED;
                } else {
                    inlineLength = 1;
                    keepNameByte(b);
                    state = State.INLINE_NAME;
                }
            }
            case ARRAY_COUNT, BULK_LENGTH -> {
                return number(b);
            }
            case ARRAY_LF, BULK_LF, BULK_END_LF -> {
                if (b != '\n') {
                    return fail("expected LF after CR");
                }
                return afterLineFeed();
            }
            case BULK_MARK -> {
                if (b != '$') {
                    return fail("expected '$' (a bulk string) in a request array");
                }
                startNumber(State.BULK_LENGTH);
            }
            case BULK_CR -> {
                if (b != '\r') {
                    return fail("bulk string longer than its declared length");
                }
                state = State.BULK_END_LF;
            }
            case INLINE_NAME -> {
                if (++inlineLength > MAX_INLINE) {
                    return fail("inline request too long");
                }
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                    state = b == '\n' ? State.START : State.INLINE_REST;
                    return Result.COMMAND;
                }
                keepNameByte(b);
            }
            case INLINE_QUOTED -> {
                if (++inlineLength > MAX_INLINE || b == '\n') {
                    return fail("unbalanced quote in inline request");
                }
                if (b == quote) {
                    state = State.INLINE_REST;
                    return Result.COMMAND;
                }
                keepNameByte(b);
            }
            case INLINE_REST -> {
                if (++inlineLength > MAX_INLINE) {
                    return fail("inline request too long");
                }
                if (b == '\n') {
                    state = State.START;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
        return Result.NEED_MORE;
    }

    private Result number(byte b) {
        if (b == '-' && digits == 0 && !negative && state == State.ARRAY_COUNT) {
            negative = true;
            return Result.NEED_MORE;
        }
        if (b == '\r') {
            if (digits == 0) {
                return fail("missing length");
            }
            state = state == State.ARRAY_COUNT ? State.ARRAY_LF : State.BULK_LF;
            return Result.NEED_MORE;
        }
        if (b < '0' || b > '9' || ++digits > 10) {
            return fail("bad length");
        }
        number = number * 10 + (b - '0');
        return Result.NEED_MORE;
    }

    private Result afterLineFeed() {
        switch (state) {
            case ARRAY_LF -> {
                if (negative || number == 0) {
                    state = State.START; // a null or empty array: Redis ignores it
                } else if (number > MAX_ARGS) {
                    return fail("too many arguments: " + number);
                } else {
                    argsLeft = number;
                    firstArg = true;
                    state = State.BULK_MARK;
                }
            }
            case BULK_LF -> {
                if (number > MAX_BULK) {
                    return fail("bulk string too long: " + number);
                }
                bulkLeft = number;
                state = number == 0 ? State.BULK_CR : State.BULK_DATA;
            }
            case BULK_END_LF -> {
                boolean wasName = firstArg;
                firstArg = false;
                state = --argsLeft == 0 ? State.START : State.BULK_MARK;
                if (wasName) {
                    return Result.COMMAND;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
        return Result.NEED_MORE;
    }

    private void startCommand() {
        nameLength = 0;
        nameTruncated = false;
        error = null;
    }

    private void startNumber(State next) {
        number = 0;
        digits = 0;
        negative = false;
        state = next;
    }

    private void keepNameByte(byte b) {
        if (nameLength == MAX_NAME) {
            nameTruncated = true;
            return;
        }
        name[nameLength++] = (b >= 'a' && b <= 'z') ? (byte) (b - 32) : b;
    }

    private Result fail(String why) {
        error = why;
        state = State.BROKEN;
        return Result.MALFORMED;
    }

    /** The last command's name, upper-cased ASCII; valid until the next {@link #scan}. Shared, do not keep. */
    public byte[] nameBytes() {
        return name;
    }

    public int nameLength() {
        return nameLength;
    }

    /** True if the name was longer than {@value #MAX_NAME} bytes (no real command is). */
    public boolean nameTruncated() {
        return nameTruncated;
    }

    /** The last command's name as text (allocates: for messages and tests). */
    public String name() {
        return new String(name, 0, nameLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Why the stream was found malformed, or null. */
    public String error() {
        return error;
    }
}
