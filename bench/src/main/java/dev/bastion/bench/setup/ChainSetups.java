package dev.bastion.bench.setup;

import dev.bastion.agent.enforce.DatapathEnforcer.Mode;
import dev.bastion.bench.traffic.Iperf3;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Policy;
import dev.bastion.policies.model.PolicyRule;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CHAIN experiment's setups, all Bastion in XDP mode on the kill-chain lab, measured on nginx-user ->
 * redis-user tcp/5201 (iperf3): no chain at all; a chain on the pair's other flow (tcp/6379, the inventory's
 * own), which puts a steering entry for this very pair in the datapath while the measured port stays unsteered;
 * the measured flow steered into the bridge with an empty chain, with {@code l4-guard}, and with
 * {@code suricata} on http-forbidden.rules; and, as the non-selective alternative, every flow of nginx-user
 * (both ports) through that Suricata. Each setup also measures the other flow, tcp/6379. The datapath already lets the benchmark's flows through
 * ({@link BenchPartitions}); chains may only steer what the inventory allows, so theirs allows tcp/5201 too.
 */
public final class ChainSetups {
    /** The measured flow's port. */
    public static final int PORT = Iperf3.PORT;
    /** The pair's other flow, the one the inventory itself allows. */
    public static final int OTHER_PORT = 6379;
    public static final String BASELINE = "no chain";

    private static final String HEADER = """
            apiVersion: bastion.dev/v1
            kind: SecurityChain
            name: bench
            """;
    private static final String MEASURED_FLOW = """
            context:
              containerSets: [nginx-user]
            flows:
              containerSets: [redis-user]
              ports: [tcp/5201]
            """;
    /** No {@code flows}: every flow the inventory allows nginx-user, the non-selective inline IDS. */
    private static final String ALL_FLOWS = """
            context:
              containerSets: [nginx-user]
            """;
    private static final String OTHER_FLOW = """
            context:
              containerSets: [nginx-user]
            flows:
              containerSets: [redis-user]
              ports: [tcp/6379]
            """;
    static final String NO_FUNCTION = "functions: []\n";
    static final String L4_GUARD = """
            functions:
              - name: l4-guard
            """;
    static final String SURICATA = """
            functions:
              - name: suricata
                config:
                  rules: [http-forbidden.rules]
            """;

    private ChainSetups() {
    }

    /** {@code rules}: the directory holding http-forbidden.rules (examples/rules). */
    public static List<NetworkSetup> all(Path rules) {
        return List.of(
                new BastionDatapath(Mode.XDP, 0, BASELINE, DatapathAddOn.NONE),
                chained("chain on tcp/6379 only", otherFlowChain(), rules),
                chained("empty chain", measuredFlowChain(NO_FUNCTION), rules),
                chained("l4-guard", measuredFlowChain(L4_GUARD), rules),
                chained("suricata", measuredFlowChain(SURICATA), rules),
                chained("suricata on all flows", allFlowsChain(SURICATA), rules));
    }

    /** An empty chain on the pair's other flow, tcp/6379. */
    static String otherFlowChain() {
        return HEADER + OTHER_FLOW + NO_FUNCTION;
    }

    /** A chain on the measured flow, tcp/5201, with {@code functions}. */
    static String measuredFlowChain(String functions) {
        return HEADER + MEASURED_FLOW + functions;
    }

    /** A chain on every flow of nginx-user, with {@code functions}. */
    static String allFlowsChain(String functions) {
        return HEADER + ALL_FLOWS + functions;
    }

    private static NetworkSetup chained(String name, String chain, Path rules) {
        return new BastionDatapath(Mode.XDP, 0, name, new BridgeChains(chain, rules, ChainSetups::allowingMeasuredFlow));
    }

    /**
     * {@code inventory} with nginx-user -> redis-user tcp/5201 allowed: declared on both sides and one of
     * redis-user's internal ports (the dependency map only keeps ports the destination's set opens).
     */
    static Inventory allowingMeasuredFlow(Inventory inventory) {
        List<PortSpec> port = List.of(new PortSpec(Protocol.TCP, PORT, PORT));
        List<Policy> policies = inventory.policies().stream().map(p -> switch (p.containerSet()) {
            case "nginx-user" -> new Policy(p.containerSet(), p.ingress(), with(p.egress(), new PolicyRule("redis-user", port)));
            case "redis-user" -> new Policy(p.containerSet(), with(p.ingress(), new PolicyRule("nginx-user", port)), p.egress());
            default -> p;
        }).toList();
        List<ContainerSet> sets = inventory.containerSets().stream().map(c -> c.name().equals("redis-user")
                ? new ContainerSet(c.name(), c.microservice(), with(c.internalPorts(), port.get(0))) : c).toList();
        return new Inventory(inventory.name(), inventory.underlay(), inventory.nodes(), inventory.networks(),
                inventory.containers(), sets, inventory.microservices(), policies,
                inventory.services());
    }

    private static <T> List<T> with(List<T> list, T more) {
        List<T> out = new ArrayList<>(list);
        out.add(more);
        return out;
    }
}
