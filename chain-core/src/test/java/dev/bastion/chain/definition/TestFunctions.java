package dev.bastion.chain.definition;

import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.registry.FunctionRegistryException;
import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.chain.spi.Verdict;
import java.util.ArrayList;
import java.util.List;

/** Factories for tests of loading and compiling chains: "acl" checks its configuration like a real function; others accept anything. */
public final class TestFunctions {
    final List<Boolean> closed = new ArrayList<>();

    private TestFunctions() {
    }

    public static TestFunctions create() {
        return new TestFunctions();
    }

    public FunctionRegistry registry(String... lenientNames) throws FunctionRegistryException {
        List<SecurityFunctionFactory> factories = new ArrayList<>();
        factories.add(factory("acl", config -> {
            config.allowOnly("deny", "max");
            if (config.strings("deny").isEmpty()) {
                throw config.error("deny", "give at least one command");
            }
            config.integer("max", 10, 1, 100);
        }));
        for (String name : lenientNames) {
            factories.add(factory(name, config -> { }));
        }
        return FunctionRegistry.of(factories.toArray(SecurityFunctionFactory[]::new));
    }

    private interface Check {
        void accept(FunctionConfig config) throws ConfigException;
    }

    private SecurityFunctionFactory factory(String name, Check check) {
        return new SecurityFunctionFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SecurityFunction create(FunctionConfig config) throws ConfigException {
                check.accept(config);
                int index = closed.size();
                closed.add(false);
                return new SecurityFunction() {
                    @Override
                    public Verdict inspect(dev.bastion.chain.spi.PacketView packet,
                                           dev.bastion.chain.spi.FlowContext flow) {
                        return Verdict.PASS;
                    }

                    @Override
                    public void close() {
                        closed.set(index, true);
                    }
                };
            }
        };
    }
}
