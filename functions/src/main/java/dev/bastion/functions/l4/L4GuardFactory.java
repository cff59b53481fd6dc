package dev.bastion.functions.l4;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;

/** {@code l4-guard}: TCP flag sanity, per-source SYN rate, and RST/injection checks against the TCP window. */
public final class L4GuardFactory implements SecurityFunctionFactory {

    @Override
    public String name() {
        return "l4-guard";
    }

    @Override
    public SecurityFunction create(FunctionConfig config) throws ConfigException {
        config.allowOnly("flags", "rstGuard", "strictRst", "injectionGuard", "synRate");
        FunctionConfig syn = config.object("synRate");
        syn.allowOnly("perSecond", "burst", "maxSources");
        double perSecond = syn.decimal("perSecond", 0);
        if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            throw syn.error("perSecond", "must be 0 (off) or more SYNs per second");
        }
        double burst = syn.decimal("burst", Math.max(1, perSecond));
        if (!(burst >= 1) || Double.isInfinite(burst)) {
            throw syn.error("burst", "a burst must be 1 or more");
        }
        return new L4Guard(
                config.bool("flags", true),
                config.bool("rstGuard", true),
                config.bool("strictRst", false),
                config.bool("injectionGuard", true),
                perSecond, burst, syn.integer("maxSources", 65536, 16, 1 << 24));
    }
}
