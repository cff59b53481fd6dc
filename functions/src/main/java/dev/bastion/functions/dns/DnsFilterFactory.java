package dev.bastion.functions.dns;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.functions.DenyAction;
import dev.bastion.functions.name.NameRules;

/** {@code dns-filter}: allow or deny DNS queries by the names they ask for. */
public final class DnsFilterFactory implements SecurityFunctionFactory {

    @Override
    public String name() {
        return "dns-filter";
    }

    @Override
    public SecurityFunction create(FunctionConfig config) throws ConfigException {
        config.allowOnly("allow", "deny", "action", "maxTcpMessageBytes");
        NameRules rules = NameRules.read(config);
        if (rules.isEmpty()) {
            throw config.error("allow", "give an allow or a deny list of names");
        }
        DenyAction action = config.choice("action", DenyAction.class, DenyAction.DROP);
        int maxTcp = config.integer("maxTcpMessageBytes", 4096, DnsQuestionReader.HEADER + 5, 65535);
        return new DnsFilter(rules, action, maxTcp);
    }
}
