package dev.bastion.chain.compile;

import dev.bastion.chain.definition.ChainDefinition;
import dev.bastion.chain.definition.FunctionUse;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.dependency.PortRanges;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers "which chain takes this flow, and why" the way {@link SteeringCompiler} decides it: policy first,
 * then chains by priority, the first whose context holds the source and whose flows hold the destination port.
 */
public final class ChainExplainer {
    private ChainExplainer() {
    }

    /**
     * @param source      a container name or IP address
     * @param destination a container name or IP address
     * @param flow        protocol and one port, such as {@code tcp/6379} ({@code icmp} takes none)
     * @throws IllegalArgumentException if a container is unknown or the flow is not one protocol and port
     */
    public static Explanation explain(List<ChainDefinition> chains, Inventory inventory, DependencyMap dependencies,
                                      String source, String destination, String flow) {
        Container from = container(inventory, source);
        Container to = container(inventory, destination);
        PortSpec probe = PortSpec.parse(flow);
        if (probe.protocol() == Protocol.ANY
                || (probe.protocol() != Protocol.ICMP && probe.from() != probe.to())) {
            throw new IllegalArgumentException("'" + flow + "': give one protocol and one port, such as tcp/6379");
        }
        int port = probe.protocol() == Protocol.ICMP ? 0 : probe.from();
        String described = from.name() + " -> " + to.name() + " " + probe;
        List<String> reasons = new ArrayList<>();
        List<PortSpec> allowed = dependencies.allowed(from.name(), to.name());
        if (!PortRanges.admits(allowed, probe.protocol(), port)) {
            reasons.add("policy denies " + described + " (allowed from " + from.name() + " to " + to.name() + ": "
                    + (allowed.isEmpty() ? "nothing" : allowed.toString()) + ")");
            reasons.add("no chain applies: a chain cannot open what policy denies");
            return new Explanation(from.name(), to.name(), probe.toString(), false, Optional.empty(),
                    Optional.empty(), List.of(), Optional.empty(), Optional.empty(), reasons);
        }
        reasons.add("policy allows " + described);
        ChainDefinition chosen = null;
        for (ChainDefinition chain : SteeringCompiler.byPriority(chains)) {
            String label = "chain " + chain.name() + " (" + chain.location() + ", priority "
                    + chain.effectivePriority() + ")";
            Optional<String> notSource = chain.context().reasonExcluded(from, inventory);
            Optional<String> notFlow = notSource.isPresent() ? Optional.empty()
                    : chain.flows().reasonExcluded(to, inventory, probe);
            if (notSource.isPresent()) {
                reasons.add(label + ": not for " + from.name() + ": " + notSource.get());
            } else if (notFlow.isPresent()) {
                reasons.add(label + ": " + notFlow.get());
            } else if (chosen == null) {
                chosen = chain;
                reasons.add(label + ": takes the flow: " + from.name() + " is in its context (" + chain.context()
                        + ") and " + to.name() + " " + probe + " in its flows (" + chain.flows() + ")");
            } else {
                reasons.add(label + ": would take the flow too, but chain " + chosen.name()
                        + " has the higher priority");
            }
        }
        if (chosen == null) {
            reasons.add("no chain selects the flow: the datapath forwards it without steering");
            return new Explanation(from.name(), to.name(), probe.toString(), true, Optional.empty(),
                    Optional.empty(), List.of(), Optional.empty(), Optional.empty(), reasons);
        }
        return new Explanation(from.name(), to.name(), probe.toString(), true, Optional.of(chosen.name()),
                Optional.of(chosen.location()), chosen.functions().stream().map(FunctionUse::name).toList(),
                Optional.of(chosen.failureMode().name().toLowerCase(Locale.ROOT)),
                Optional.of(chosen.inspect().toString()), reasons);
    }

    private static Container container(Inventory inventory, String nameOrIp) {
        return inventory.containers().stream()
                .filter(c -> c.name().equals(nameOrIp)
                        || c.ip().map(ip -> ip.toString().equals(nameOrIp)).orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no container named or addressed '" + nameOrIp
                        + "' in inventory " + inventory.name()));
    }
}
