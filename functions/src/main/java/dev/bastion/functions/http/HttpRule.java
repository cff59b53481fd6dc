package dev.bastion.functions.http;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.functions.name.NamePattern;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One request rule, as in Cilium's L7 HTTP rules: every field given must match; an absent field matches
 * anything. {@code method} and {@code path} are regular expressions matched against the whole value,
 * {@code pathPrefix} a literal prefix of the normalized path, {@code host} a name pattern ({@code *.example.com}).
 */
record HttpRule(Pattern method, Pattern path, String pathPrefix, NamePattern host) {

    static HttpRule read(FunctionConfig config) throws ConfigException {
        config.allowOnly("method", "path", "pathPrefix", "host");
        if (config.keys().isEmpty()) {
            throw config.error("method", "a rule needs at least one of method, path, pathPrefix, host");
        }
        String prefix = config.string("pathPrefix", null);
        if (prefix != null && !prefix.startsWith("/")) {
            throw config.error("pathPrefix", "must start with '/'");
        }
        NamePattern host = null;
        String hostText = config.string("host", null);
        if (hostText != null) {
            try {
                host = NamePattern.parse(hostText);
            } catch (IllegalArgumentException e) {
                throw config.error("host", e.getMessage());
            }
        }
        return new HttpRule(regex(config, "method"), regex(config, "path"), prefix, host);
    }

    private static Pattern regex(FunctionConfig config, String key) throws ConfigException {
        String text = config.string(key, null);
        if (text == null) {
            return null;
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw config.error(key, "not a regular expression: " + e.getDescription());
        }
    }

    boolean matches(HttpRequestHead request) {
        return (method == null || method.matcher(request.method()).matches())
                && (path == null || path.matcher(request.path()).matches())
                && (pathPrefix == null || request.path().startsWith(pathPrefix))
                && (host == null || host.matches(request.host()));
    }
}
