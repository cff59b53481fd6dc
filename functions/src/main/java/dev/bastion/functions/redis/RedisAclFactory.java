package dev.bastion.functions.redis;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import java.util.List;

/** {@code redis-acl}: allow or deny Redis commands by name. */
public final class RedisAclFactory implements SecurityFunctionFactory {

    @Override
    public String name() {
        return "redis-acl";
    }

    @Override
    public SecurityFunction create(FunctionConfig config) throws ConfigException {
        config.allowOnly("allow", "deny");
        List<String> allow = commands(config, "allow");
        List<String> deny = commands(config, "deny");
        if (allow.isEmpty() && deny.isEmpty()) {
            throw config.error("allow", "give an allow or a deny list of commands");
        }
        return new RedisAcl(new CommandSet(allow), new CommandSet(deny));
    }

    private static List<String> commands(FunctionConfig config, String key) throws ConfigException {
        List<String> names = config.strings(key);
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n.isEmpty() || n.length() > RespCommandScanner.MAX_NAME || !n.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw config.error(key, i, "'" + n + "' is not a Redis command name");
            }
        }
        return names;
    }
}
