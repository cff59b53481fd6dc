package dev.bastion.functions.signature;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import java.util.ArrayList;
import java.util.List;

/** {@code signature}: literal and regular-expression content rules over packet payloads. */
public final class SignatureFactory implements SecurityFunctionFactory {

    @Override
    public String name() {
        return "signature";
    }

    @Override
    public SecurityFunction create(FunctionConfig config) throws ConfigException {
        config.allowOnly("rules", "stream");
        List<FunctionConfig> configs = config.objects("rules");
        if (configs.isEmpty()) {
            throw config.error("rules", "give at least one rule");
        }
        List<SignatureRule> rules = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            SignatureRule rule = SignatureRule.read(configs.get(i), i);
            for (SignatureRule other : rules) {
                if (other.id().equals(rule.id())) {
                    throw configs.get(i).error("id", "rule id '" + rule.id() + "' is used twice");
                }
            }
            rules.add(rule);
        }
        return new Signature(rules, config.bool("stream", false));
    }
}
