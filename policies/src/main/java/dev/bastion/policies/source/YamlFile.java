package dev.bastion.policies.source;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parses a YAML file into {@link YamlValue}s that remember their line. SnakeYAML's composed node graph is
 * used (rather than data binding) because it keeps the position of every key and value.
 */
public final class YamlFile {
    private YamlFile() {
    }

    /** Parses {@code file}; a syntax error or an empty document is an {@link InvalidSourceException}. */
    public static YamlValue read(Path file, Problems problems) throws IOException, InvalidSourceException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return parse(file, reader, problems);
        }
    }

    public static YamlValue parse(Path file, String text, Problems problems) throws InvalidSourceException {
        return parse(file, new StringReader(text), problems);
    }

    private static YamlValue parse(Path file, Reader reader, Problems problems) throws InvalidSourceException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by YamlValue with their line, not thrown here
        options.setMaxAliasesForCollections(20);
        Node root;
        try {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new InvalidSourceException(List.of(new Problem(file, line, "(syntax)", e.getProblem())));
        }
        if (root == null) {
            throw new InvalidSourceException(List.of(new Problem(file, 1, "(document)", "file is empty")));
        }
        return new YamlValue(file, root, "", problems);
    }
}
