package dev.bastion.chain.definition;

import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.registry.FunctionRegistryException;
import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.ExternalInspection;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.chain.spi.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Factories for tests of loading and compiling chains: "acl" checks its configuration like a real function; the
 * lenient ones accept anything, and "dpi" among them inspects externally on port dpi0.
 */
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
            factories.add(name.equals("dpi") ? external(factory(name, config -> { })) : factory(name, config -> { }));
        }
        return FunctionRegistry.of(factories.toArray(SecurityFunctionFactory[]::new));
    }

    private interface Check {
        void accept(FunctionConfig config) throws ConfigException;
    }

    private static SecurityFunctionFactory external(SecurityFunctionFactory lenient) {
        return new SecurityFunctionFactory() {
            @Override
            public String name() {
                return lenient.name();
            }

            @Override
            public SecurityFunction create(FunctionConfig config) throws ConfigException {
                return new External(lenient.create(config));
            }
        };
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
                    public Verdict inspect(PacketView packet, FlowContext flow) {
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

    /** A function that sends what it passes through an external engine's port. */
    private record External(SecurityFunction delegate) implements SecurityFunction, ExternalInspection {
        @Override
        public Verdict inspect(PacketView packet, FlowContext flow) {
            return delegate.inspect(packet, flow);
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public String port() {
            return "dpi0";
        }
    }
}
