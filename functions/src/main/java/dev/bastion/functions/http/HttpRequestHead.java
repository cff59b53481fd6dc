package dev.bastion.functions.http;

import java.util.Locale;

/**
 * The parts of one HTTP/1.x request head that rules look at: method, normalized path, host. Parsing is strict
 * where leniency lets a request mean one thing to a filter and another to a server.
 */
public final class HttpRequestHead {
    private String method;
    private String target;
    private String path;
    private String host;
    private boolean http11;
    private long contentLength;
    private boolean chunked;
    private boolean switchProtocols;

    /** Parses {@code head[0, length)} (ends with an empty line); returns what is wrong, or null. */
    String parse(byte[] head, int length) {
        method = target = path = host = null;
        contentLength = 0;
        chunked = false;
        switchProtocols = false;
        int lineEnd = lineEnd(head, 0, length);
        String problem = requestLine(head, 0, contentEnd(head, 0, lineEnd));
        if (problem != null) {
            return problem;
        }
        boolean sawLength = false;
        boolean sawHost = false;
        String transferEncoding = null;
        for (int start = lineEnd + 1; start < length; ) {
            int end = lineEnd(head, start, length);
            int contentEnd = contentEnd(head, start, end);
            if (contentEnd == start) {
                break;
            }
            if (head[start] == ' ' || head[start] == '\t') {
                return "folded header line";
            }
            int colon = indexOf(head, start, contentEnd, (byte) ':');
            if (colon <= start) {
                return "header line without a name";
            }
            for (int i = start; i < colon; i++) {
                if (!isTokenChar(head[i])) {
                    return "bad character in header name";
                }
            }
            String name = HttpRequestScanner.ascii(head, start, colon).toLowerCase(Locale.ROOT);
            String value = HttpRequestScanner.ascii(head, colon + 1, contentEnd).strip();
            switch (name) {
                case "host" -> {
                    if (sawHost) {
                        return "more than one Host header";
                    }
                    sawHost = true;
                    if (host == null) {
                        host = hostOnly(value); // an absolute-form target's authority takes precedence
                    }
                }
                case "content-length" -> {
                    long parsed = parseLength(value);
                    if (parsed < 0 || (sawLength && parsed != contentLength)) {
                        return "bad or conflicting Content-Length";
                    }
                    contentLength = parsed;
                    sawLength = true;
                }
                case "transfer-encoding" -> transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
                case "upgrade" -> switchProtocols = true;
                default -> { }
            }
            start = end + 1;
        }
        if (transferEncoding != null) {
            if (sawLength || !http11) {
                return "Transfer-Encoding with Content-Length or in HTTP/1.0";
            }
            String[] codings = transferEncoding.toLowerCase(Locale.ROOT).split(",");
            if (!codings[codings.length - 1].strip().equals("chunked")) {
                return "request body length cannot be determined (Transfer-Encoding not ending in chunked)";
            }
            chunked = true;
        }
        if (host == null) {
            if (http11) {
                return "HTTP/1.1 request without Host";
            }
            host = "";
        }
        if (method.equals("CONNECT")) {
            switchProtocols = true;
        }
        return null;
    }

    private String requestLine(byte[] b, int from, int to) {
        int sp1 = indexOf(b, from, to, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(b, sp1 + 1, to, (byte) ' ');
        if (sp1 <= from || sp2 <= sp1 + 1 || indexOf(b, sp2 + 1, to, (byte) ' ') >= 0) {
            return "bad request line";
        }
        for (int i = from; i < sp1; i++) {
            if (!isTokenChar(b[i])) {
                return "bad character in method";
            }
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            if (b[i] <= ' ' || b[i] >= 0x7f) {
                return "bad character in request target";
            }
        }
        String version = HttpRequestScanner.ascii(b, sp2 + 1, to);
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            return "unsupported HTTP version '" + version + "'";
        }
        http11 = version.equals("HTTP/1.1");
        method = HttpRequestScanner.ascii(b, from, sp1);
        target = HttpRequestScanner.ascii(b, sp1 + 1, sp2);
        String rawPath = target;
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            int authority = target.indexOf("//") + 2;
            int slash = target.indexOf('/', authority);
            int end = slash < 0 ? target.length() : slash;
            int query = target.indexOf('?', authority);
            if (query >= 0 && query < end) {
                end = query;
            }
            host = hostOnly(target.substring(authority, end)); // absolute form: the target's authority wins
            rawPath = slash < 0 ? "/" : target.substring(slash);
        } else if (target.equals("*") || method.equals("CONNECT")) {
            path = target;
            return null;
        } else if (!target.startsWith("/")) {
            return "request target is neither a path nor an absolute URI";
        }
        int query = rawPath.indexOf('?');
        path = PathNormalizer.normalize(query < 0 ? rawPath : rawPath.substring(0, query));
        return path == null ? "bad percent-encoding in path" : null;
    }

    private static String hostOnly(String authority) {
        String h = authority.toLowerCase(Locale.ROOT);
        int at = h.lastIndexOf('@');
        if (at >= 0) {
            h = h.substring(at + 1);
        }
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        h = colon < 0 ? h : h.substring(0, colon);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static long parseLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean isTokenChar(byte c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private static int lineEnd(byte[] b, int from, int to) {
        int i = indexOf(b, from, to, (byte) '\n');
        return i < 0 ? to : i;
    }

    /** End of a line's content: before its LF and an optional CR. */
    private static int contentEnd(byte[] b, int from, int lineEnd) {
        return lineEnd > from && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    public String method() {
        return method;
    }

    /** The request target as sent. */
    public String target() {
        return target;
    }

    /** The path without query, percent-decoded where that changes nothing for servers, dot segments removed. */
    public String path() {
        return path;
    }

    /** Lower case, without port or trailing dot; empty for an HTTP/1.0 request without Host. */
    public String host() {
        return host;
    }

    public long contentLength() {
        return contentLength;
    }

    public boolean chunked() {
        return chunked;
    }

    boolean asksToSwitchProtocols() {
        return switchProtocols;
    }
}
