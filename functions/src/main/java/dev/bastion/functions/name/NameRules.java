package dev.bastion.functions.name;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Allow and deny lists of {@link NamePattern}s, decided like Cilium's rules: a name on the deny list is
 * denied; otherwise, if an allow list is given, only names on it are allowed; with no allow list, everything
 * not denied is allowed.
 */
public final class NameRules {
    // Arrays, not lists: matching runs per packet and must not allocate iterators.
    private final NamePattern[] allow;
    private final NamePattern[] deny;

    public NameRules(List<NamePattern> allow, List<NamePattern> deny) {
        this.allow = allow.toArray(new NamePattern[0]);
        this.deny = deny.toArray(new NamePattern[0]);
    }

    public boolean isEmpty() {
        return allow.length == 0 && deny.length == 0;
    }

    public boolean allows(CharSequence name) {
        for (NamePattern p : deny) {
            if (p.matches(name)) {
                return false;
            }
        }
        if (allow.length == 0) {
            return true;
        }
        for (NamePattern p : allow) {
            if (p.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /** Reads the {@code allow} and {@code deny} lists of a function's configuration. */
    public static NameRules read(FunctionConfig config) throws ConfigException {
        return new NameRules(patterns(config, "allow"), patterns(config, "deny"));
    }

    private static List<NamePattern> patterns(FunctionConfig config, String key) throws ConfigException {
        List<String> texts = config.strings(key);
        List<NamePattern> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                out.add(NamePattern.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                throw config.error(key, i, e.getMessage());
            }
        }
        return out;
    }
}
