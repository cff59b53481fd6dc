package dev.bastion.chain.registry;

import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.chain.spi.Verdict;

/** Registered in the test class path's META-INF/services, to show class-path discovery. */
public final class ClassPathFunction implements SecurityFunctionFactory {
    @Override
    public String name() {
        return "classpath-pass";
    }

    @Override
    public SecurityFunction create(FunctionConfig config) {
        return (packet, flow) -> Verdict.PASS;
    }
}
