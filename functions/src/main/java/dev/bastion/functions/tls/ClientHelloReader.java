package dev.bastion.functions.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds the server name (SNI, RFC 6066 3) in the ClientHello that opens a TLS connection. Works on the
 * client's first bytes as gathered so far: the ClientHello may span TCP segments and TLS records, so its
 * fragments are joined in a bounded buffer first. Every length field is checked against its container.
 */
public final class ClientHelloReader {
    public enum Result { NEED_MORE, FOUND, NO_SNI, NOT_TLS, MALFORMED }

    private static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int EXT_SERVER_NAME = 0;
    private static final int MAX_RECORD = 16384 + 2048;

    private final byte[] hello;
    private String serverName;
    private String error;

    /** @param maxHelloBytes longest ClientHello accepted (post-quantum key shares make them over 1,500 bytes) */
    public ClientHelloReader(int maxHelloBytes) {
        hello = new byte[maxHelloBytes];
    }

    /** Reads the client's stream from its first byte, {@code stream[position, limit)}; the buffer is not moved. */
    public Result read(ByteBuffer stream) {
        serverName = null;
        error = null;
        int at = stream.position();
        int end = stream.limit();
        int gathered = 0;
        int needed = -1; // handshake message length incl. its 4-byte header, once known
        while (needed < 0 || gathered < needed) {
            if (end - at < RECORD_HEADER) {
                return at == stream.position() && end - at > 0 && (stream.get(at) & 0xff) != HANDSHAKE
                        ? notTls() : Result.NEED_MORE;
            }
            if ((stream.get(at) & 0xff) != HANDSHAKE || stream.get(at + 1) != 3) {
                return gathered == 0 ? notTls() : fail("non-handshake record inside the ClientHello");
            }
            int recordLength = stream.getShort(at + 3) & 0xffff;
            if (recordLength == 0 || recordLength > MAX_RECORD) {
                return fail("bad record length " + recordLength);
            }
            int available = Math.min(recordLength, end - at - RECORD_HEADER);
            int copy = Math.min(available, hello.length - gathered);
            stream.get(at + RECORD_HEADER, hello, gathered, copy);
            gathered += copy;
            if (needed < 0 && gathered >= 4) {
                if ((hello[0] & 0xff) != CLIENT_HELLO) {
                    return fail("first handshake message is not a ClientHello");
                }
                needed = 4 + (((hello[1] & 0xff) << 16) | ((hello[2] & 0xff) << 8) | (hello[3] & 0xff));
                if (needed > hello.length) {
                    return fail("ClientHello longer than " + hello.length + " bytes");
                }
            }
            if (available < recordLength) {
                return needed >= 0 && gathered >= needed ? parse(needed) : Result.NEED_MORE;
            }
            at += RECORD_HEADER + recordLength;
        }
        return parse(needed);
    }

    private Result parse(int length) {
        int p = 4 + 2 + 32; // header, legacy_version, random
        p = skipVector(p, 1, length, "session id");
        p = skipVector(p, 2, length, "cipher suites");
        p = skipVector(p, 1, length, "compression methods");
        if (p < 0) {
            return Result.MALFORMED;
        }
        if (p == length) {
            return Result.NO_SNI; // no extensions at all
        }
        int extEnd = p + 2 + u16(p, length);
        if (extEnd != length) {
            return fail("extensions length does not match the ClientHello");
        }
        p += 2;
        while (p < extEnd) {
            if (p + 4 > extEnd) {
                return fail("extension header truncated");
            }
            int type = u16(p, extEnd);
            int len = u16(p + 2, extEnd);
            int body = p + 4;
            if (body + len > extEnd) {
                return fail("extension longer than the extensions block");
            }
            if (type == EXT_SERVER_NAME) {
                return serverName(body, body + len);
            }
            p = body + len;
        }
        return Result.NO_SNI;
    }

    private Result serverName(int from, int to) {
        if (from + 2 > to || from + 2 + u16(from, to) != to) {
            return fail("server_name list length does not match its extension");
        }
        for (int p = from + 2; p < to; ) {
            if (p + 3 > to) {
                return fail("server_name entry truncated");
            }
            int type = hello[p] & 0xff;
            int len = u16(p + 1, to);
            if (p + 3 + len > to) {
                return fail("server_name entry longer than its list");
            }
            if (type == 0) {
                if (len == 0 || len > 255) {
                    return fail("host_name empty or longer than 255 bytes");
                }
                for (int i = p + 3; i < p + 3 + len; i++) {
                    if (hello[i] <= 0x20 || hello[i] >= 0x7f) {
                        return fail("host_name holds a space or non-printable byte");
                    }
                }
                String name = new String(hello, p + 3, len, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
                serverName = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
                return Result.FOUND;
            }
            p += 3 + len;
        }
        return Result.NO_SNI;
    }

    /** Skips a vector with a {@code lengthBytes}-byte length at p; -1 (and error) if it does not fit. */
    private int skipVector(int p, int lengthBytes, int end, String what) {
        if (p < 0) {
            return -1;
        }
        if (p + lengthBytes > end) {
            fail(what + " truncated");
            return -1;
        }
        int len = lengthBytes == 1 ? hello[p] & 0xff : u16(p, end);
        if (p + lengthBytes + len > end) {
            fail(what + " longer than the ClientHello");
            return -1;
        }
        return p + lengthBytes + len;
    }

    private int u16(int p, int end) {
        return p + 2 > end ? Integer.MAX_VALUE / 2 : ((hello[p] & 0xff) << 8) | (hello[p + 1] & 0xff);
    }

    private Result notTls() {
        error = "not a TLS handshake";
        return Result.NOT_TLS;
    }

    private Result fail(String why) {
        error = why;
        return Result.MALFORMED;
    }

    /** The server name after {@link Result#FOUND}: lower case, no trailing dot. */
    public String serverName() {
        return serverName;
    }

    public String error() {
        return error;
    }
}
