package dev.bastion.functions.name;

import java.util.Locale;

/**
 * A DNS-name pattern as Cilium's FQDN rules write them: {@code api.example.com} exactly; {@code *} inside a
 * label matches any characters of that one label ({@code *.example.com} matches {@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}); a leading {@code **.} matches one or more labels; a bare
 * {@code *} matches every name. Case-insensitive; a trailing dot is ignored. Matching allocates nothing.
 */
public final class NamePattern {
    private final String text;
    private final String body;
    private final boolean anyLabels;
    private final boolean everything;

    private NamePattern(String text, String body, boolean anyLabels, boolean everything) {
        this.text = text;
        this.body = body;
        this.anyLabels = anyLabels;
        this.everything = everything;
    }

    /** @throws IllegalArgumentException naming what is wrong with the pattern */
    public static NamePattern parse(String pattern) {
        String p = pattern.strip().toLowerCase(Locale.ROOT);
        if (p.endsWith(".") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("*")) {
            return new NamePattern(pattern, "", false, true);
        }
        boolean anyLabels = p.startsWith("**.");
        String body = anyLabels ? p.substring(3) : p;
        if (body.isEmpty() || body.length() > 253) {
            throw new IllegalArgumentException("'" + pattern + "' is not a DNS name pattern");
        }
        for (String label : body.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException("'" + pattern + "' has an empty or too long label");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '*') {
                    throw new IllegalArgumentException("'" + pattern + "' has character '" + c + "' not allowed in a DNS name");
                }
            }
        }
        if (body.contains("**")) {
            throw new IllegalArgumentException("'" + pattern + "': '**' is allowed only as the first label, as '**.'");
        }
        return new NamePattern(pattern, body, anyLabels, false);
    }

    /** @param name lower-case name without trailing dot */
    public boolean matches(CharSequence name) {
        if (everything) {
            return true;
        }
        if (!anyLabels) {
            return glob(name, 0, name.length(), 0);
        }
        // "**.body": some proper suffix after a dot matches body.
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.' && i > 0 && glob(name, i + 1, name.length(), 0)) {
                return true;
            }
        }
        return false;
    }

    /** Matches name[from, to) against body[at..]; '*' never crosses a dot. */
    private boolean glob(CharSequence name, int from, int to, int at) {
        int n = from;
        int b = at;
        int starB = -1;
        int starN = -1;
        while (n < to) {
            if (b < body.length() && body.charAt(b) == '*') {
                starB = b++;
                starN = n;
            } else if (b < body.length() && body.charAt(b) == name.charAt(n)) {
                b++;
                n++;
            } else if (starB >= 0 && name.charAt(starN) != '.') {
                n = ++starN;
                b = starB + 1;
            } else {
                return false;
            }
        }
        while (b < body.length() && body.charAt(b) == '*') {
            b++;
        }
        return b == body.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
