package dev.bastion.chain.definition;

import dev.bastion.chain.engine.FailureMode;
import dev.bastion.chain.engine.InspectionDepth;
import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.source.Problem;
import dev.bastion.policies.source.Problems;
import dev.bastion.policies.source.YamlObject;
import dev.bastion.policies.source.YamlValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads one {@code SecurityChain} document into a {@link ChainDefinition}, reporting every problem with file,
 * line and field. Function names and configurations are checked by {@link ChainLoader}, which knows the
 * registry.
 */
final class ChainReader {
    static final String API_VERSION = "bastion.dev/v1";
    static final String KIND = "SecurityChain";
    static final Duration DEFAULT_BUDGET = Duration.ofMillis(1);
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final Problems problems;
    private final Optional<KnownNames> known;

    ChainReader(Problems problems, Optional<KnownNames> known) {
        this.problems = problems;
        this.known = known;
    }

    /** The definition, or empty when the document is too broken to build one (problems say why). */
    Optional<ChainDefinition> read(YamlValue root) {
        YamlObject top = root.object();
        expect(top, "apiVersion", API_VERSION);
        expect(top, "kind", KIND);
        Optional<String> name = top.requiredText("name").filter(n -> {
            if (!NAME.matcher(n).matches()) {
                problems.add(top.get("name").orElseThrow(), "'" + n + "' is not a valid name (lower-case letters, "
                        + "digits and '-', at most 63, starting and ending with a letter or digit)");
                return false;
            }
            return true;
        });
        Optional<ChainContext> context = context(top);
        ChainFlows flows = top.get("flows").map(this::flows).orElse(new ChainFlows(List.of(), List.of(), List.of()));
        List<FunctionUse> functions = functions(top);
        FunctionConfig settings = FunctionConfig.of(root);
        FailureMode failureMode = checked(() -> settings.choice("failureMode", FailureMode.class, FailureMode.CLOSED),
                FailureMode.CLOSED);
        Duration budget = checked(() -> settings.duration("budget", DEFAULT_BUDGET), DEFAULT_BUDGET);
        if (budget.isZero()) {
            problems.add(top.get("budget").orElseThrow(), "the time budget must be more than zero");
        }
        OptionalInt priority = top.get("priority").isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(checked(() -> settings.integer("priority", 0, -1000, 1000), 0));
        InspectionDepth inspect = top.get("inspect").map(this::inspect).orElse(InspectionDepth.UNLIMITED);
        top.done(Set.of("apiVersion", "kind", "name", "context", "flows", "functions", "failureMode", "inspect",
                "budget", "priority"));
        if (name.isEmpty() || context.isEmpty()) {
            return Optional.empty();
        }
        int line = top.get("name").orElseThrow().line();
        return Optional.of(new ChainDefinition(root.file(), line, name.get(), context.get(), flows, functions,
                failureMode, inspect, budget, priority));
    }

    private void expect(YamlObject top, String field, String wanted) {
        top.requiredText(field).filter(v -> !v.equals(wanted))
                .ifPresent(v -> problems.add(top.get(field).orElseThrow(), "expected " + wanted + ", got " + v));
    }

    private Optional<ChainContext> context(YamlObject top) {
        Optional<YamlValue> value = top.get("context");
        if (value.isEmpty()) {
            problems.add(new Problem(top.self().file(), top.self().line(), "context",
                    "required field is missing (containerSets, microservice or labels)"));
            return Optional.empty();
        }
        YamlObject o = value.get().object();
        List<String> sets = names(o.list("containerSets"), "container set", KnownNames::containerSets);
        Optional<String> microservice = o.get("microservice")
                .flatMap(v -> names(List.of(v), "microservice", KnownNames::microservices).stream().findFirst());
        Map<String, String> labels = new LinkedHashMap<>();
        o.get("labels").ifPresent(v -> v.entries().forEach((k, text) -> text.text().ifPresent(t -> labels.put(k, t))));
        o.done(Set.of("containerSets", "microservice", "labels"));
        if (sets.isEmpty() && microservice.isEmpty() && labels.isEmpty()) {
            problems.add(value.get(), "name containerSets, a microservice or labels: an empty context would take "
                    + "every container");
            return Optional.empty();
        }
        return Optional.of(new ChainContext(sets, microservice, Map.copyOf(labels)));
    }

    private ChainFlows flows(YamlValue value) {
        YamlObject o = value.object();
        List<String> sets = names(o.list("containerSets"), "container set", KnownNames::containerSets);
        List<String> services = names(o.list("services"), "service", KnownNames::services);
        List<PortSpec> ports = new ArrayList<>();
        for (YamlValue v : o.list("ports")) {
            v.text().ifPresent(text -> {
                try {
                    ports.add(PortSpec.parse(text));
                } catch (IllegalArgumentException e) {
                    problems.add(v, e.getMessage());
                }
            });
        }
        o.done(Set.of("containerSets", "services", "ports"));
        return new ChainFlows(sets, services, List.copyOf(ports));
    }

    private List<FunctionUse> functions(YamlObject top) {
        Optional<YamlValue> list = top.get("functions");
        if (list.isEmpty()) {
            problems.add(new Problem(top.self().file(), top.self().line(), "functions",
                    "required field is missing (write functions: [] for a chain that only counts)"));
            return List.of();
        }
        List<FunctionUse> out = new ArrayList<>();
        for (YamlValue item : list.get().elements()) {
            YamlObject o = item.object();
            Optional<String> name = o.requiredText("name");
            FunctionConfig config = o.get("config").map(c -> {
                if (!c.isMapping()) {
                    problems.add(c, "expected a mapping of settings");
                }
                return FunctionConfig.of(c);
            }).orElseGet(() -> FunctionConfig.empty(item.file(), item.line(), item.path() + ".config"));
            o.done(Set.of("name", "config"));
            name.ifPresent(n -> out.add(new FunctionUse(n, config, item.file(), o.get("name").orElseThrow().line())));
        }
        return List.copyOf(out);
    }

    private InspectionDepth inspect(YamlValue value) {
        if (!value.isMapping()) {
            problems.add(value, "expected {packets: N} or {bytes: N}");
            return InspectionDepth.UNLIMITED;
        }
        FunctionConfig depth = FunctionConfig.of(value);
        value.object().done(Set.of("packets", "bytes"));
        if (depth.has("packets") == depth.has("bytes")) {
            problems.add(value, "give exactly one of packets or bytes");
            return InspectionDepth.UNLIMITED;
        }
        return depth.has("packets")
                ? InspectionDepth.packets(checked(() -> depth.longValue("packets", 0, 1, Long.MAX_VALUE), 0L))
                : InspectionDepth.bytes(checked(() -> depth.longValue("bytes", 0, 1, Long.MAX_VALUE), 0L));
    }

    /** Names of inventory objects; with an inventory, each must exist in it. */
    private List<String> names(List<YamlValue> values, String kind, Function<KnownNames, Set<String>> existing) {
        List<String> out = new ArrayList<>();
        for (YamlValue v : values) {
            v.text().ifPresent(name -> {
                out.add(name);
                known.map(existing).filter(names -> !names.contains(name)).ifPresent(names ->
                        problems.add(v, "unknown " + kind + " '" + name + "' (" + (names.isEmpty()
                                ? "the inventory declares none" : "known: " + String.join(", ", names)) + ")"));
            });
        }
        return List.copyOf(out);
    }

    private interface Checked<T> {
        T get() throws ConfigException;
    }

    /** Runs a typed read; its problem is recorded and {@code fallback} lets reading go on. */
    private <T> T checked(Checked<T> read, T fallback) {
        try {
            return read.get();
        } catch (ConfigException e) {
            ChainLoader.addOnce(problems, e.problems());
            return fallback;
        }
    }
}
