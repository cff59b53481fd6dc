package dev.bastion.functions.http;

/**
 * Puts a request path in the form a server resolves it to, so that a deny rule for {@code /admin} also catches
 * {@code /%61dmin}, {@code //admin} and {@code /x/../admin}: decodes percent-escapes of unreserved characters
 * (RFC 3986 6.2.2.2), merges repeated slashes, removes dot segments (RFC 3986 5.2.4). Escapes of reserved
 * characters such as {@code %2F} stay encoded, as servers keep them distinct.
 */
final class PathNormalizer {
    private PathNormalizer() {
    }

    /** The normalized path, or null if a percent-escape is malformed. */
    static String normalize(String path) {
        StringBuilder decoded = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            if (i + 2 >= path.length()) {
                return null;
            }
            int hi = Character.digit(path.charAt(i + 1), 16);
            int lo = Character.digit(path.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            char value = (char) (hi * 16 + lo);
            if (isUnreserved(value)) {
                decoded.append(value);
            } else {
                decoded.append('%').append(Character.toUpperCase(path.charAt(i + 1)))
                        .append(Character.toUpperCase(path.charAt(i + 2)));
            }
            i += 2;
        }
        String[] segments = decoded.toString().split("/", -1);
        String[] kept = new String[segments.length];
        int depth = 0;
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                depth = Math.max(0, depth - 1);
                continue;
            }
            kept[depth++] = s;
        }
        StringBuilder out = new StringBuilder(decoded.length());
        for (int i = 0; i < depth; i++) {
            out.append('/').append(kept[i]);
        }
        String last = segments[segments.length - 1];
        if (depth == 0 || last.isEmpty() || last.equals(".") || last.equals("..")) {
            out.append('/'); // keep a trailing slash: "/dir/" and "/dir" are different resources
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
