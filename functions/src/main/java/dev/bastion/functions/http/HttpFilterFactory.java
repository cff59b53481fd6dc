package dev.bastion.functions.http;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import java.util.ArrayList;
import java.util.List;

/** {@code http-filter}: allow or deny HTTP/1.x requests by method, path and host. */
public final class HttpFilterFactory implements SecurityFunctionFactory {
    static final int DEFAULT_MAX_HEAD = 8192;

    @Override
    public String name() {
        return "http-filter";
    }

    @Override
    public SecurityFunction create(FunctionConfig config) throws ConfigException {
        config.allowOnly("allow", "deny", "maxHeadBytes");
        List<HttpRule> allow = rules(config, "allow");
        List<HttpRule> deny = rules(config, "deny");
        if (allow.isEmpty() && deny.isEmpty()) {
            throw config.error("allow", "give allow or deny rules");
        }
        int maxHead = config.integer("maxHeadBytes", DEFAULT_MAX_HEAD, 256, 1 << 20);
        return new HttpFilter(allow, deny, maxHead);
    }

    private static List<HttpRule> rules(FunctionConfig config, String key) throws ConfigException {
        List<HttpRule> out = new ArrayList<>();
        for (FunctionConfig rule : config.objects(key)) {
            out.add(HttpRule.read(rule));
        }
        return out;
    }
}
