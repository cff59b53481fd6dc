package dev.bastion.chain.spi;

import dev.bastion.policies.source.InvalidSourceException;
import dev.bastion.policies.source.Problem;
import dev.bastion.policies.source.Problems;
import dev.bastion.policies.source.YamlFile;
import dev.bastion.policies.source.YamlValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code config} mapping of one function in a chain file, with typed getters. Every error names the chain
 * file, the line and the field (for example {@code chains/web.yaml:14: functions[0].config.methods: ...}), so
 * a function's own checks should go through {@link #error(String, String)} as well.
 */
public final class FunctionConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h)");

    private final Path file;
    private final int line;
    private final String path;
    private final Map<String, YamlValue> entries;
    private final String chain;

    private FunctionConfig(Path file, int line, String path, Map<String, YamlValue> entries, String chain) {
        this.file = file;
        this.line = line;
        this.path = path;
        this.entries = entries;
        this.chain = chain;
    }

    /** The configuration held by a YAML mapping (a non-mapping is reported to the value's problems). */
    public static FunctionConfig of(YamlValue mapping) {
        return new FunctionConfig(mapping.file(), mapping.line(), mapping.path(), mapping.entries(), "");
    }

    /** An empty configuration for a function given none; errors point at {@code file:line: path}. */
    public static FunctionConfig empty(Path file, int line, String path) {
        return new FunctionConfig(file, line, path, Map.of(), "");
    }

    /** Parses a YAML mapping given as text, for tests and tools; errors name {@code <inline>}. */
    public static FunctionConfig parse(String yaml) throws ConfigException {
        Problems problems = new Problems();
        try {
            FunctionConfig config = of(YamlFile.parse(Path.of("<inline>"), yaml, problems));
            if (!problems.isEmpty()) {
                throw new ConfigException(problems.list());
            }
            return config;
        } catch (InvalidSourceException e) {
            throw new ConfigException(e.problems());
        }
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** Rejects every key not in {@code accepted}, all in one exception. */
    public void allowOnly(String... accepted) throws ConfigException {
        Set<String> allowed = Set.of(accepted);
        List<Problem> unknown = new ArrayList<>();
        for (var entry : entries.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                unknown.add(problemAt(entry.getValue(), "unknown setting (expected one of "
                        + String.join(", ", new TreeSet<>(Arrays.asList(accepted))) + ")"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(unknown);
        }
    }

    /** A required text setting. */
    public String string(String key) throws ConfigException {
        return text(required(key));
    }

    public String string(String key, String defaultValue) throws ConfigException {
        YamlValue value = entries.get(key);
        return value == null ? defaultValue : text(value);
    }

    public boolean bool(String key, boolean defaultValue) throws ConfigException {
        YamlValue value = entries.get(key);
        return value == null ? defaultValue : orFail(value, value.bool());
    }

    public int integer(String key, int defaultValue) throws ConfigException {
        return integer(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An integer setting that must lie within {@code min..max}. */
    public int integer(String key, int defaultValue, int min, int max) throws ConfigException {
        return (int) longValue(key, defaultValue, min, max);
    }

    /** A whole-number setting that must lie within {@code min..max}. */
    public long longValue(String key, long defaultValue, long min, long max) throws ConfigException {
        YamlValue value = entries.get(key);
        if (value == null) {
            return defaultValue;
        }
        String text = text(value);
        long parsed;
        try {
            parsed = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(problemAt(value, "expected a whole number, got '" + text + "'"));
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(problemAt(value, parsed + " is outside " + min + ".." + max));
        }
        return parsed;
    }

    public double decimal(String key, double defaultValue) throws ConfigException {
        YamlValue value = entries.get(key);
        if (value == null) {
            return defaultValue;
        }
        String text = text(value);
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(problemAt(value, "expected a number, got '" + text + "'"));
        }
    }

    /** A duration written as a number with a unit: {@code 500us}, {@code 20ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    public Duration duration(String key, Duration defaultValue) throws ConfigException {
        YamlValue value = entries.get(key);
        if (value == null) {
            return defaultValue;
        }
        String text = text(value);
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(problemAt(value,
                    "expected a duration such as 500us, 20ms, 2s, 5m or 1h, got '" + text + "'"));
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ns" -> Duration.ofNanos(amount);
            case "us" -> Duration.ofNanos(amount * 1000);
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /**
     * One of an enum's constants, written in lower case with dashes ({@code fail-open} for {@code FAIL_OPEN}).
     */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) throws ConfigException {
        YamlValue value = entries.get(key);
        if (value == null) {
            return defaultValue;
        }
        String text = text(value);
        String wanted = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
            names.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new ConfigException(problemAt(value,
                "'" + text + "' is not one of " + String.join(", ", names)));
    }

    /** A list of text values; absent means empty. */
    public List<String> strings(String key) throws ConfigException {
        YamlValue value = entries.get(key);
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (YamlValue element : elements(value)) {
            out.add(text(element));
        }
        return List.copyOf(out);
    }

    /** A nested mapping; absent means an empty configuration located at this key. */
    public FunctionConfig object(String key) throws ConfigException {
        YamlValue value = entries.get(key);
        if (value == null) {
            return empty(file, line, child(key));
        }
        return mapping(value);
    }

    /** A list of mappings, such as a list of rules; absent means empty. */
    public List<FunctionConfig> objects(String key) throws ConfigException {
        YamlValue value = entries.get(key);
        if (value == null) {
            return List.of();
        }
        List<FunctionConfig> out = new ArrayList<>();
        for (YamlValue element : elements(value)) {
            out.add(mapping(element));
        }
        return List.copyOf(out);
    }

    /** An error located at {@code key} (or at this mapping when the key is absent), for a function's own checks. */
    public ConfigException error(String key, String message) {
        YamlValue value = entries.get(key);
        return new ConfigException(value == null
                ? new Problem(file, line, child(key), message)
                : problemAt(value, message));
    }

    /** An error located at element {@code index} of the list {@code key}. */
    public ConfigException error(String key, int index, String message) {
        YamlValue value = entries.get(key);
        if (value != null && !value.isMapping()) {
            List<YamlValue> elements = value.elements();
            if (index >= 0 && index < elements.size()) {
                return new ConfigException(problemAt(elements.get(index), message));
            }
        }
        return error(key, message);
    }

    /** The same configuration, given to a function of chain {@code name}. */
    public FunctionConfig inChain(String name) {
        return new FunctionConfig(file, line, path, entries, name);
    }

    /**
     * The name of the chain the function belongs to ("" outside a chain). Functions that report outside the
     * packet path, such as an external engine's alerts, name their chain with it.
     */
    public String chain() {
        return chain;
    }

    /** Where this mapping is, as {@code file:line: path}. */
    public String location() {
        return file + ":" + line + ": " + path;
    }

    private YamlValue required(String key) throws ConfigException {
        YamlValue value = entries.get(key);
        if (value == null) {
            throw new ConfigException(new Problem(file, line, child(key), "required setting is missing"));
        }
        return value;
    }

    private FunctionConfig mapping(YamlValue value) throws ConfigException {
        if (!value.isMapping()) {
            throw new ConfigException(problemAt(value, "expected a mapping of settings"));
        }
        return of(value);
    }

    private static String text(YamlValue value) throws ConfigException {
        return orFail(value, value.text());
    }

    private static List<YamlValue> elements(YamlValue value) throws ConfigException {
        int before = value.problems().list().size();
        List<YamlValue> elements = value.elements();
        if (value.problems().list().size() > before) {
            throw new ConfigException(lastProblem(value));
        }
        return elements;
    }

    /** YamlValue reports a type mismatch to its problems and returns empty; that report becomes the exception. */
    private static <T> T orFail(YamlValue value, Optional<T> result) throws ConfigException {
        if (result.isEmpty()) {
            throw new ConfigException(lastProblem(value));
        }
        return result.get();
    }

    private static Problem lastProblem(YamlValue value) {
        List<Problem> all = value.problems().list();
        return all.isEmpty() ? problemAt(value, "unexpected value") : all.get(all.size() - 1);
    }

    private static Problem problemAt(YamlValue value, String message) {
        return new Problem(value.file(), value.line(), value.path(), message);
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
