package dev.bastion.policies.inventory;

import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.dependency.PortRanges;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.Ipv4Prefix;
import dev.bastion.policies.model.MacAddress;
import dev.bastion.policies.model.Microservice;
import dev.bastion.policies.model.Policy;
import dev.bastion.policies.model.PolicyRule;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import dev.bastion.policies.model.ServiceIp;
import dev.bastion.policies.source.InvalidSourceException;
import dev.bastion.policies.source.Problems;
import dev.bastion.policies.source.YamlFile;
import dev.bastion.policies.source.YamlObject;
import dev.bastion.policies.source.YamlValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads an inventory file: the format of the lab's topologies and of the static collector (see
 * docs/inventory.md). The file is checked whole; any problem rejects it, so nothing is built from half a file.
 */
public final class InventoryReader {
    public static final String API_VERSION = "bastion.dev/v1";
    public static final String KIND = "Inventory";
    /** Names become network namespace names and DNS labels: lower case, digits and '-', at most 63. */
    public static final int MAX_NAME_LENGTH = 63;
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final String DEFAULT_NODE = "node1";

    private final Problems problems = new Problems();
    /** Where each policy rule was written, to name it when the rules as a whole allow nothing. */
    private final Map<RuleKey, YamlValue> ruleAt = new LinkedHashMap<>();

    private InventoryReader() {
    }

    public static Inventory read(Path file) throws IOException, InvalidSourceException {
        InventoryReader reader = new InventoryReader();
        return reader.build(YamlFile.read(file, reader.problems));
    }

    public static Inventory parse(Path file, String text) throws InvalidSourceException {
        InventoryReader reader = new InventoryReader();
        return reader.build(YamlFile.parse(file, text, reader.problems));
    }

    private Inventory build(YamlValue root) throws InvalidSourceException {
        YamlObject top = root.object();
        top.requiredText("apiVersion").ifPresent(v -> {
            if (!v.equals(API_VERSION)) {
                problems.add(top.get("apiVersion").orElseThrow(), "expected " + API_VERSION);
            }
        });
        top.requiredText("kind").ifPresent(v -> {
            if (!v.equals(KIND)) {
                problems.add(top.get("kind").orElseThrow(), "expected " + KIND);
            }
        });
        String name = name(top, "name").orElse("");
        Optional<Ipv4Prefix> underlay = top.get("underlay").flatMap(v -> parsed(v, Ipv4Prefix::parse));
        List<HostNode> nodes = nodes(top, underlay);
        List<ContainerNetwork> networks = networks(top, nodes);
        List<Container> containers = containers(top, nodes, networks);
        List<ContainerSet> sets = containerSets(top, containers);
        List<Microservice> microservices = microservices(top);
        checkReferences(top, microservices);
        List<Policy> policies = policies(top, sets);
        List<ServiceIp> services = services(top, sets, containers);
        if (problems.isEmpty()) {
            checkRulesAllowSomething(new Inventory(name, underlay, nodes, networks, containers, sets, microservices,
                    policies, services));
        }
        top.done(Set.of("apiVersion", "kind", "name", "underlay", "nodes", "networks", "containers",
                "containerSets", "microservices", "policies", "services"));
        problems.throwIfAny();
        return new Inventory(name, underlay, nodes, networks, containers, sets, microservices, policies, services);
    }

    private List<HostNode> nodes(YamlObject top, Optional<Ipv4Prefix> underlay) {
        List<YamlValue> items = top.list("nodes");
        if (items.isEmpty()) {
            return List.of(new HostNode(DEFAULT_NODE, Optional.empty()));
        }
        List<HostNode> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Map<Ipv4Address, String> ips = new HashMap<>();
        for (YamlValue item : items) {
            YamlObject o = item.object();
            Optional<String> name = name(o, "name");
            name.ifPresent(n -> unique(names, n, o.get("name").orElseThrow(), "node"));
            Optional<Ipv4Address> ip = o.get("underlayIp").flatMap(v -> parsed(v, Ipv4Address::parse));
            if (items.size() > 1 && o.get("underlayIp").isEmpty()) {
                problems.add(o.self(), "underlayIp is required when there are several nodes");
            }
            ip.ifPresent(a -> {
                YamlValue at = o.get("underlayIp").orElseThrow();
                if (underlay.isEmpty()) {
                    problems.add(at, "an underlay subnet must be declared at the top level");
                } else if (!underlay.get().contains(a) || underlay.get().isReserved(a)) {
                    problems.add(at, a + " is not a host address of the underlay " + underlay.get());
                }
                String other = ips.putIfAbsent(a, name.orElse("?"));
                if (other != null) {
                    problems.add(at, a + " is already the underlay address of node " + other);
                }
            });
            o.done(Set.of("name", "underlayIp"));
            name.ifPresent(n -> out.add(new HostNode(n, ip)));
        }
        return out;
    }

    private List<ContainerNetwork> networks(YamlObject top, List<HostNode> nodes) {
        List<ContainerNetwork> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlValue item : top.list("networks")) {
            YamlObject o = item.object();
            Optional<String> name = name(o, "name");
            name.ifPresent(n -> unique(names, n, o.get("name").orElseThrow(), "network"));
            Optional<String> node = nodeOf(o, nodes);
            Optional<Ipv4Prefix> subnet = o.requiredText("subnet").flatMap(t -> parsed(o.get("subnet").orElseThrow(), Ipv4Prefix::parse));
            Optional<Ipv4Address> gateway = o.requiredText("gateway").flatMap(t -> parsed(o.get("gateway").orElseThrow(), Ipv4Address::parse));
            if (subnet.isPresent() && gateway.isPresent()
                    && (!subnet.get().contains(gateway.get()) || subnet.get().isReserved(gateway.get()))) {
                problems.add(o.get("gateway").orElseThrow(), gateway.get() + " is not a host address of " + subnet.get());
            }
            subnet.ifPresent(s -> out.stream().filter(n -> overlaps(n.subnet(), s)).findFirst().ifPresent(n ->
                    problems.add(o.get("subnet").orElseThrow(), s + " overlaps network " + n.name() + " (" + n.subnet() + ")")));
            Optional<MacAddress> gatewayMac = o.get("gatewayMac").flatMap(v -> parsed(v, MacAddress::parse));
            o.done(Set.of("name", "node", "subnet", "gateway", "gatewayMac"));
            if (name.isPresent() && node.isPresent() && subnet.isPresent() && gateway.isPresent()) {
                out.add(new ContainerNetwork(name.get(), node.get(), subnet.get(), gateway.get(), gatewayMac));
            }
        }
        return out;
    }

    private List<Container> containers(YamlObject top, List<HostNode> nodes, List<ContainerNetwork> networks) {
        List<Container> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Map<Ipv4Address, String> ips = new HashMap<>();
        Map<MacAddress, String> macs = new HashMap<>();
        networks.forEach(n -> ips.put(n.gateway(), "the gateway of network " + n.name()));
        for (YamlValue item : top.list("containers")) {
            YamlObject o = item.object();
            Optional<String> name = name(o, "name");
            name.ifPresent(n -> unique(names, n, o.get("name").orElseThrow(), "container"));
            String set = o.get("containerSet").isPresent() ? name(o, "containerSet").orElse("") : name.orElse("");
            boolean hostNetwork = o.flag("hostNetwork");
            Map<String, String> labels = labels(o);
            if (hostNetwork) {
                for (String field : List.of("network", "ip", "mac")) {
                    o.get(field).ifPresent(v -> problems.add(v, "a host-network container has no " + field + " of its own"));
                }
                Optional<String> node = nodeOf(o, nodes);
                o.done(Set.of("name", "containerSet", "node", "hostNetwork", "labels"));
                if (name.isPresent() && node.isPresent()) {
                    out.add(new Container(name.get(), set, node.get(), Optional.empty(), Optional.empty(),
                            Optional.empty(), true, labels));
                }
                continue;
            }
            Optional<ContainerNetwork> network = networkOf(o, networks);
            network.ifPresent(n -> o.get("node").flatMap(YamlValue::text).filter(t -> !t.equals(n.node())).ifPresent(t ->
                    problems.add(o.get("node").orElseThrow(), "network " + n.name() + " is on node " + n.node() + ", not " + t)));
            Optional<Ipv4Address> ip = o.requiredText("ip").flatMap(t -> parsed(o.get("ip").orElseThrow(), Ipv4Address::parse));
            boolean ipTaken = false;
            if (ip.isPresent()) {
                YamlValue at = o.get("ip").orElseThrow();
                network.ifPresent(n -> {
                    if (!n.subnet().contains(ip.get())) {
                        problems.add(at, ip.get() + " is outside the subnet " + n.subnet() + " of network " + n.name());
                    } else if (n.subnet().isReserved(ip.get())) {
                        problems.add(at, ip.get() + " is the network or broadcast address of " + n.subnet());
                    }
                });
                String other = ips.putIfAbsent(ip.get(), "container " + name.orElse("?"));
                if (other != null) {
                    problems.add(at, ip.get() + " is already taken by " + other);
                    ipTaken = true;
                }
            }
            boolean macGiven = o.get("mac").isPresent();
            boolean derivedFromTakenIp = !macGiven && ipTaken;
            Optional<MacAddress> mac = o.get("mac").flatMap(v -> parsed(v, MacAddress::parse)).or(() -> ip.map(MacAddress::dockerStyle));
            mac.ifPresent(m -> {
                YamlValue at = o.get("mac").orElse(o.get("ip").orElse(o.self()));
                if (m.isMulticast()) {
                    problems.add(at, m + " is a multicast address");
                }
                String other = macs.putIfAbsent(m, name.orElse("?"));
                if (other != null && !derivedFromTakenIp) { // a MAC derived from a taken IP adds nothing
                    problems.add(at, "MAC " + m + " is already taken by container " + other);
                }
            });
            o.done(Set.of("name", "containerSet", "node", "network", "ip", "mac", "hostNetwork", "labels"));
            if (name.isPresent() && network.isPresent() && ip.isPresent() && mac.isPresent()) {
                out.add(new Container(name.get(), set, network.get().node(), Optional.of(network.get().name()), ip, mac,
                        false, labels));
            }
        }
        return out;
    }

    private List<ContainerSet> containerSets(YamlObject top, List<Container> containers) {
        Map<String, ContainerSet> out = new LinkedHashMap<>();
        for (YamlValue item : top.list("containerSets")) {
            YamlObject o = item.object();
            Optional<String> name = name(o, "name");
            Optional<String> microservice = o.get("microservice").isPresent() ? name(o, "microservice") : Optional.empty();
            List<PortSpec> ports = ports(o, "internalPorts");
            o.done(Set.of("name", "microservice", "internalPorts"));
            name.ifPresent(n -> {
                if (out.putIfAbsent(n, new ContainerSet(n, microservice, ports)) != null) {
                    problems.add(o.get("name").orElseThrow(), "container set " + n + " is declared twice");
                }
            });
        }
        // A container whose set is not declared forms a set of its own, as every Docker container does.
        for (Container c : containers) {
            out.putIfAbsent(c.containerSet(), new ContainerSet(c.containerSet(), Optional.empty(), List.of()));
        }
        return List.copyOf(out.values());
    }

    private List<Microservice> microservices(YamlObject top) {
        List<Microservice> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlValue item : top.list("microservices")) {
            YamlObject o = item.object();
            Optional<String> name = name(o, "name");
            name.ifPresent(n -> unique(names, n, o.get("name").orElseThrow(), "microservice"));
            List<PortSpec> ports = ports(o, "globalPorts");
            o.done(Set.of("name", "globalPorts"));
            name.ifPresent(n -> out.add(new Microservice(n, ports)));
        }
        return out;
    }

    private void checkReferences(YamlObject top, List<Microservice> microservices) {
        Set<String> known = new LinkedHashSet<>();
        microservices.forEach(m -> known.add(m.name()));
        for (YamlValue item : top.list("containerSets")) {
            if (!item.isMapping()) {
                continue;
            }
            item.object().get("microservice").ifPresent(v -> v.text().filter(t -> !known.contains(t)).ifPresent(t ->
                    problems.add(v, "unknown microservice '" + t + "'")));
        }
    }

    private List<Policy> policies(YamlObject top, List<ContainerSet> sets) {
        Set<String> known = new LinkedHashSet<>();
        sets.forEach(s -> known.add(s.name()));
        List<Policy> out = new ArrayList<>();
        Map<String, Integer> lineOfPolicy = new HashMap<>();
        for (YamlValue item : top.list("policies")) {
            YamlObject o = item.object();
            Optional<String> set = o.requiredText("containerSet");
            set.filter(s -> !known.contains(s)).ifPresent(s ->
                    problems.add(o.get("containerSet").orElseThrow(), "unknown container set '" + s + "'"));
            set.ifPresent(s -> {
                Integer first = lineOfPolicy.putIfAbsent(s, item.line());
                if (first != null) {
                    problems.add(o.get("containerSet").orElseThrow(),
                            "container set " + s + " already has a policy at line " + first + "; give one policy per set");
                }
            });
            List<PolicyRule> ingress = rules(o, set.orElse(""), "ingress", "from", known);
            List<PolicyRule> egress = rules(o, set.orElse(""), "egress", "to", known);
            o.done(Set.of("containerSet", "ingress", "egress"));
            set.ifPresent(s -> out.add(new Policy(s, ingress, egress)));
        }
        return out;
    }

    private List<PolicyRule> rules(YamlObject policy, String set, String field, String peerField, Set<String> knownSets) {
        List<PolicyRule> out = new ArrayList<>();
        Map<String, Integer> lineOfPeer = new HashMap<>();
        for (YamlValue item : policy.list(field)) {
            YamlObject o = item.object();
            Optional<String> peer = o.requiredText(peerField);
            peer.filter(p -> !knownSets.contains(p)).ifPresent(p ->
                    problems.add(o.get(peerField).orElseThrow(), "unknown container set '" + p + "'"));
            peer.ifPresent(p -> {
                Integer first = lineOfPeer.putIfAbsent(p, item.line());
                if (first != null) {
                    problems.add(o.get(peerField).orElseThrow(),
                            p + " is already named at line " + first + "; list all its ports in one rule");
                }
                ruleAt.putIfAbsent(new RuleKey(set, field, p), o.get(peerField).orElseThrow());
            });
            List<PortSpec> ports = o.get("ports").isPresent() ? ports(o, "ports") : List.of(PortSpec.ANY);
            o.done(Set.of(peerField, "ports"));
            peer.ifPresent(p -> out.add(new PolicyRule(p, ports)));
        }
        return out;
    }

    /**
     * A rule that, together with its peer's policy and the service ports (constraints of dependency extraction),
     * lets nothing through contradicts the rest of the file: most likely a wrong port on one side.
     */
    private void checkRulesAllowSomething(Inventory inventory) {
        DependencyMap deps = DependencyExtractor.extract(inventory);
        ruleAt.forEach((rule, at) -> {
            boolean egress = rule.direction().equals("egress");
            String from = egress ? rule.set() : rule.peer();
            String to = egress ? rule.peer() : rule.set();
            Optional<YamlValue> counterpart = Optional.ofNullable(
                    ruleAt.get(new RuleKey(rule.peer(), egress ? "ingress" : "egress", rule.set())));
            // A pair named on both sides is reported once, at its egress rule.
            if (deps.betweenSets(from, to).isEmpty() && (egress || counterpart.isEmpty())) {
                String other = counterpart.map(v -> "the " + (egress ? "ingress" : "egress") + " rule at line " + v.line() + ", ")
                        .orElse("");
                problems.add(at, "allows nothing: " + from + " -> " + to + " has no port in common with " + other
                        + "the service ports of " + to);
            }
        });
    }

    private record RuleKey(String set, String direction, String peer) {
    }

    private List<ServiceIp> services(YamlObject top, List<ContainerSet> sets, List<Container> containers) {
        List<ServiceIp> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlValue item : top.list("services")) {
            YamlObject o = item.object();
            Optional<String> name = name(o, "name");
            name.ifPresent(n -> unique(names, n, o.get("name").orElseThrow(), "service"));
            Optional<Ipv4Address> ip = o.requiredText("ip").flatMap(t -> parsed(o.get("ip").orElseThrow(), Ipv4Address::parse));
            ip.ifPresent(a -> containers.stream().filter(c -> c.ip().equals(Optional.of(a))).findFirst().ifPresent(c ->
                    problems.add(o.get("ip").orElseThrow(), a + " is already taken by container " + c.name())));
            Optional<PortSpec> port = o.requiredText("port").flatMap(t -> parsed(o.get("port").orElseThrow(), PortSpec::parse));
            port.filter(p -> p.protocol() == Protocol.ANY || p.protocol() == Protocol.ICMP || p.from() != p.to())
                    .ifPresent(p -> problems.add(o.get("port").orElseThrow(), "a service port is one tcp or udp port, like tcp/80"));
            Optional<String> set = o.requiredText("containerSet");
            set.filter(s -> sets.stream().noneMatch(cs -> cs.name().equals(s))).ifPresent(s ->
                    problems.add(o.get("containerSet").orElseThrow(), "unknown container set '" + s + "'"));
            Optional<Integer> target = o.get("targetPort").flatMap(v -> parsed(v, InventoryReader::portNumber));
            o.done(Set.of("name", "ip", "port", "containerSet", "targetPort"));
            if (name.isPresent() && ip.isPresent() && port.isPresent() && set.isPresent()) {
                out.add(new ServiceIp(name.get(), ip.get(), port.get(), set.get(), target.orElse(port.get().from())));
            }
        }
        return out;
    }

    private Optional<String> nodeOf(YamlObject o, List<HostNode> nodes) {
        Optional<YamlValue> field = o.get("node");
        if (field.isEmpty()) {
            if (nodes.size() == 1) {
                return Optional.of(nodes.get(0).name());
            }
            problems.add(o.self(), "node is required when there are several nodes");
            return Optional.empty();
        }
        Optional<String> node = field.get().text();
        if (node.isPresent() && nodes.stream().noneMatch(n -> n.name().equals(node.get()))) {
            problems.add(field.get(), "unknown node '" + node.get() + "'");
            return Optional.empty();
        }
        return node;
    }

    private Optional<ContainerNetwork> networkOf(YamlObject o, List<ContainerNetwork> networks) {
        Optional<YamlValue> field = o.get("network");
        if (field.isEmpty()) {
            if (networks.size() == 1) {
                return Optional.of(networks.get(0));
            }
            problems.add(o.self(), "network is required when there is not exactly one network");
            return Optional.empty();
        }
        Optional<String> wanted = field.get().text();
        Optional<ContainerNetwork> network = wanted.flatMap(w -> networks.stream().filter(n -> n.name().equals(w)).findFirst());
        if (wanted.isPresent() && network.isEmpty()) {
            problems.add(field.get(), "unknown network '" + wanted.get() + "'");
        }
        return network;
    }

    private Map<String, String> labels(YamlObject o) {
        Map<String, String> labels = new LinkedHashMap<>();
        o.get("labels").ifPresent(v -> v.entries().forEach((k, value) -> value.text().ifPresent(t -> labels.put(k, t))));
        return Map.copyOf(labels);
    }

    /** A list of port specs; two specs sharing a port are ambiguous (which one was meant?) and rejected. */
    private List<PortSpec> ports(YamlObject o, String field) {
        List<PortSpec> out = new ArrayList<>();
        List<YamlValue> at = new ArrayList<>();
        for (YamlValue v : o.list(field)) {
            parsed(v, PortSpec::parse).ifPresent(spec -> {
                for (int i = 0; i < out.size(); i++) {
                    if (PortRanges.overlap(out.get(i), spec)) {
                        problems.add(v, spec + " overlaps " + out.get(i) + " of " + at.get(i).path());
                        return;
                    }
                }
                out.add(spec);
                at.add(v);
            });
        }
        return out;
    }

    private Optional<String> name(YamlObject o, String field) {
        Optional<String> text = o.requiredText(field);
        if (text.isEmpty()) {
            return text;
        }
        YamlValue at = o.get(field).orElseThrow();
        String name = text.get();
        if (name.length() > MAX_NAME_LENGTH) {
            problems.add(at, "name is too long: " + name.length() + " characters, at most " + MAX_NAME_LENGTH);
            return Optional.empty();
        }
        if (!NAME.matcher(name).matches()) {
            problems.add(at, "'" + name + "' is not a valid name (lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit)");
            return Optional.empty();
        }
        return text;
    }

    private void unique(Set<String> seen, String name, YamlValue at, String what) {
        if (!seen.add(name)) {
            problems.add(at, "duplicate " + what + " name '" + name + "'");
        }
    }

    private <T> Optional<T> parsed(YamlValue v, Function<String, T> parser) {
        return v.text().flatMap(t -> {
            try {
                return Optional.of(parser.apply(t));
            } catch (IllegalArgumentException e) {
                problems.add(v, e.getMessage());
                return Optional.empty();
            }
        });
    }

    private static int portNumber(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a port number within 1..65535");
    }

    private static boolean overlaps(Ipv4Prefix a, Ipv4Prefix b) {
        return a.contains(b.network()) || b.contains(a.network());
    }
}
