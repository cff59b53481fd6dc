package dev.bastion.functions.http;

import dev.bastion.chain.spi.PacketView;
import java.nio.charset.StandardCharsets;

/**
 * Finds every HTTP/1.x request head in a client's byte stream as it arrives in pieces, and skips request bodies
 * by their framing (Content-Length or chunked), so pipelined and keep-alive requests are each seen. Heads are
 * held in a bounded buffer; bodies are never held. Ambiguous framing that enables request smuggling (both
 * Content-Length and Transfer-Encoding, differing Content-Lengths, folded or space-before-colon header lines,
 * repeated Host) is malformed. After a request that asked to leave HTTP (CONNECT, Upgrade) the caller reports
 * the server's answer with {@link #serverSwitched()}; from then on the stream is opaque.
 */
public final class HttpRequestScanner {
    public enum Result { NEED_MORE, REQUEST, MALFORMED }

    private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_SIZE_LF, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF,
        TRAILER, OPAQUE, BROKEN }

    private static final int MAX_CHUNK_SIZE_DIGITS = 15;

    private final byte[] head;
    private int headLength;
    private int lineLength;
    private State state = State.HEAD;
    private long bodyLeft;
    private int chunkDigits;
    private String error;
    private int position;
    private boolean switchRequested;
    private boolean switchIsConnect;
    private final HttpRequestHead request = new HttpRequestHead();

    /** @param maxHeadBytes longest request head (request line and headers) accepted; longer is malformed */
    public HttpRequestScanner(int maxHeadBytes) {
        head = new byte[maxHeadBytes];
    }

    /**
     * Reads the packet's payload from index {@code from} until a request head is complete, the payload runs
     * out, or the stream breaks HTTP framing. After {@link Result#REQUEST}, {@link #request()} holds it and
     * {@link #position()} is the index just past the head: call again from there to go on. After
     * {@link Result#MALFORMED} the scanner stays broken.
     */
    public Result scan(PacketView packet, int from) {
        int end = packet.payloadLength();
        int at = from;
        try {
            while (at < end) {
                switch (state) {
                    case BROKEN -> {
                        return Result.MALFORMED;
                    }
                    case OPAQUE -> {
                        at = end;
                        return Result.NEED_MORE;
                    }
                    case HEAD -> {
                        Result r = headByte(packet.payloadByte(at++));
                        if (r != Result.NEED_MORE) {
                            return r;
                        }
                    }
                    case BODY, CHUNK_DATA -> {
                        int take = (int) Math.min(bodyLeft, end - at);
                        at += take;
                        bodyLeft -= take;
                        if (bodyLeft == 0) {
                            state = state == State.BODY ? State.HEAD : State.CHUNK_DATA_CR;
                        }
                    }
                    default -> {
                        if (!chunkByte(packet.payloadByte(at++))) {
                            return Result.MALFORMED;
                        }
                    }
                }
            }
            return state == State.BROKEN ? Result.MALFORMED : Result.NEED_MORE;
        } finally {
            position = at;
        }
    }

    /** Payload index just past the bytes the last {@link #scan} read. */
    public int position() {
        return position;
    }

    private Result headByte(byte b) {
        if (headLength == 0 && (b == '\r' || b == '\n')) {
            return Result.NEED_MORE; // RFC 9112 2.2: empty lines before a request line are ignored
        }
        if (headLength == head.length) {
            return fail("request head longer than " + head.length + " bytes");
        }
        head[headLength++] = b;
        if (b != '\n') {
            if (b != '\r') {
                lineLength++;
            }
            return Result.NEED_MORE;
        }
        if (lineLength > 0) {
            lineLength = 0;
            return Result.NEED_MORE;
        }
        // An empty line: the head is complete.
        String problem = request.parse(head, headLength);
        headLength = 0;
        if (problem != null) {
            return fail(problem);
        }
        switchRequested = request.asksToSwitchProtocols();
        switchIsConnect = request.method().equals("CONNECT");
        if (request.chunked()) {
            startChunk();
        } else if (request.contentLength() > 0) {
            bodyLeft = request.contentLength();
            state = State.BODY;
        }
        return Result.REQUEST;
    }

    private boolean chunkByte(byte b) {
        switch (state) {
            case CHUNK_SIZE -> {
                int digit = Character.digit(b, 16);
                if (digit >= 0 && chunkDigits < MAX_CHUNK_SIZE_DIGITS) {
                    bodyLeft = bodyLeft * 16 + digit;
                    chunkDigits++;
                } else if (chunkDigits > 0 && (b == ';' || b == ' ' || b == '\t')) {
                    state = State.CHUNK_EXTENSION;
                } else if (chunkDigits > 0 && b == '\r') {
                    state = State.CHUNK_SIZE_LF;
                } else {
                    return fail("bad chunk size") == null;
                }
            }
            case CHUNK_EXTENSION -> {
                if (b == '\r') {
                    state = State.CHUNK_SIZE_LF;
                } else if (b == '\n') {
                    return fail("bare LF in chunk size line") == null;
                }
            }
            case CHUNK_SIZE_LF -> {
                if (b != '\n') {
                    return fail("expected LF after chunk size") == null;
                }
                state = bodyLeft == 0 ? State.TRAILER : State.CHUNK_DATA;
                lineLength = 0;
            }
            case CHUNK_DATA_CR -> {
                if (b != '\r') {
                    return fail("chunk longer than its declared size") == null;
                }
                state = State.CHUNK_DATA_LF;
            }
            case CHUNK_DATA_LF -> {
                if (b != '\n') {
                    return fail("expected LF after chunk data") == null;
                }
                startChunk();
            }
            case TRAILER -> {
                if (b == '\n') {
                    if (lineLength == 0) {
                        state = State.HEAD;
                    }
                    lineLength = 0;
                } else if (b != '\r' && ++lineLength > head.length) {
                    return fail("trailer line too long") == null;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
        return true;
    }

    private void startChunk() {
        bodyLeft = 0;
        chunkDigits = 0;
        state = State.CHUNK_SIZE;
    }

    private Result fail(String why) {
        error = why;
        state = State.BROKEN;
        return Result.MALFORMED;
    }

    /** The last request head found; reused by the next one. */
    public HttpRequestHead request() {
        return request;
    }

    /** True after a CONNECT or Upgrade request, until the server's answer is reported. */
    public boolean switchRequested() {
        return switchRequested;
    }

    /**
     * Reports the server's status code for the pending switch request: 101, or 2xx to CONNECT, means the
     * stream is no longer HTTP and is skipped from now on; any other status means requests go on.
     */
    public void serverAnswered(int status) {
        if (status == 101 || (switchIsConnect && status >= 200 && status < 300)) {
            state = State.OPAQUE;
        }
        switchRequested = false;
    }

    public boolean opaque() {
        return state == State.OPAQUE;
    }

    public String error() {
        return error;
    }

    static String ascii(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
