package dev.bastion.policies.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node that knows where it came from (file, line, dotted field path), with strict typed accessors.
 * Type mismatches and unknown fields are reported to {@link Problems}; accessors then return empty values
 * so that reading goes on and the whole file is reported at once.
 */
public final class YamlValue {
    private final Path file;
    private final Node node;
    private final String path;
    private final Problems problems;

    YamlValue(Path file, Node node, String path, Problems problems) {
        this.file = file;
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    public Path file() {
        return file;
    }

    /** 1-based line of this value in its file. */
    public int line() {
        return node.getStartMark().getLine() + 1;
    }

    /** Dotted path of this value, for example {@code containers[2].ip}. */
    public String path() {
        return path;
    }

    public Problems problems() {
        return problems;
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    /** The scalar text, or empty (with a problem reported) if this is not a scalar. */
    public Optional<String> text() {
        if (node instanceof ScalarNode scalar) {
            return Optional.of(scalar.getValue());
        }
        problems.add(this, "expected a single value");
        return Optional.empty();
    }

    public Optional<Boolean> bool() {
        return text().flatMap(t -> switch (t) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                problems.add(this, "expected true or false, got '" + t + "'");
                yield Optional.empty();
            }
        });
    }

    /** The elements of a sequence; a problem if this is not one. */
    public List<YamlValue> elements() {
        if (!(node instanceof SequenceNode sequence)) {
            problems.add(this, "expected a list");
            return List.of();
        }
        List<YamlValue> out = new ArrayList<>();
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            out.add(new YamlValue(file, items.get(i), path + "[" + i + "]", problems));
        }
        return out;
    }

    /** A mapping's entries in file order, keys as text; duplicate keys are reported. */
    public Map<String, YamlValue> entries() {
        Map<String, YamlValue> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            problems.add(this, "expected a mapping of fields");
            return out;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = keyNode instanceof ScalarNode s ? s.getValue() : keyNode.toString();
            YamlValue value = new YamlValue(file, tuple.getValueNode(), child(key), problems);
            if (out.putIfAbsent(key, value) != null) {
                problems.add(new Problem(file, keyNode.getStartMark().getLine() + 1, child(key), "field given twice"));
            }
        }
        return out;
    }

    /** Reads this mapping as an object with a fixed set of fields. */
    public YamlObject object() {
        return new YamlObject(this);
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
