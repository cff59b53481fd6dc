package dev.bastion.functions.ratelimit;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.functions.DenyAction;

/** {@code rate-limit}: packet and byte rates per flow and per source address, as token buckets. */
public final class RateLimitFactory implements SecurityFunctionFactory {

    /** Which packets count: the flow initiator's only, or both directions. */
    enum Counted { ORIGINAL, BOTH }

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public SecurityFunction create(FunctionConfig config) throws ConfigException {
        config.allowOnly("perFlow", "perSource", "maxSources", "action", "direction");
        Limit perFlow = Limit.read(config.object("perFlow"));
        Limit perSource = Limit.read(config.object("perSource"));
        if (perFlow.isOff() && perSource.isOff()) {
            throw config.error("perFlow", "give a perFlow or perSource rate");
        }
        int maxSources = config.integer("maxSources", 65536, 16, 1 << 24);
        DenyAction action = config.choice("action", DenyAction.class, DenyAction.DROP);
        Counted counted = config.choice("direction", Counted.class, Counted.ORIGINAL);
        return new RateLimit(perFlow, perSource, maxSources, action, counted == Counted.BOTH);
    }
}
