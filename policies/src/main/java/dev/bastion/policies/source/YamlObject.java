package dev.bastion.policies.source;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML mapping read as an object whose fields are known in advance. Call {@link #done(Set)} with the
 * accepted field names once read: any other field is an error, so a misspelt key never goes unnoticed.
 */
public final class YamlObject {
    private final YamlValue self;
    private final Map<String, YamlValue> entries;

    YamlObject(YamlValue self) {
        this.self = self;
        this.entries = self.entries();
    }

    public YamlValue self() {
        return self;
    }

    public Optional<YamlValue> get(String field) {
        return Optional.ofNullable(entries.get(field));
    }

    public Optional<String> text(String field) {
        return get(field).flatMap(YamlValue::text);
    }

    /** A required scalar field; its absence is reported at the object's line. */
    public Optional<String> requiredText(String field) {
        YamlValue value = entries.get(field);
        if (value == null) {
            self.problems().add(new Problem(self.file(), self.line(), self.child(field), "required field is missing"));
            return Optional.empty();
        }
        return value.text();
    }

    public boolean flag(String field) {
        return get(field).flatMap(YamlValue::bool).orElse(false);
    }

    /** A list field; absent means empty. */
    public List<YamlValue> list(String field) {
        return get(field).map(YamlValue::elements).orElse(List.of());
    }

    /** Reports every field that is not in {@code accepted}. */
    public void done(Set<String> accepted) {
        for (var entry : entries.entrySet()) {
            if (!accepted.contains(entry.getKey())) {
                self.problems().add(entry.getValue(),
                        "unknown field (expected one of " + String.join(", ", new TreeSet<>(accepted)) + ")");
            }
        }
    }
}
