package dev.bastion.functions.tls;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.functions.name.NameRules;

/** {@code tls-sni}: allow or deny TLS connections by the server name in their ClientHello. */
public final class TlsSniFactory implements SecurityFunctionFactory {

    /** What happens to the rest of a connection once its ClientHello is allowed. */
    enum AfterAllow { PASS, BYPASS_FLOW }

    @Override
    public String name() {
        return "tls-sni";
    }

    @Override
    public SecurityFunction create(FunctionConfig config) throws ConfigException {
        config.allowOnly("allow", "deny", "allowMissingSni", "allowNonTls", "maxHelloBytes", "afterAllow");
        NameRules rules = NameRules.read(config);
        if (rules.isEmpty()) {
            throw config.error("allow", "give an allow or a deny list of server names");
        }
        return new TlsSni(rules,
                config.bool("allowMissingSni", false),
                config.bool("allowNonTls", false),
                config.integer("maxHelloBytes", 16384, 512, 1 << 20),
                config.choice("afterAllow", AfterAllow.class, AfterAllow.PASS));
    }
}
