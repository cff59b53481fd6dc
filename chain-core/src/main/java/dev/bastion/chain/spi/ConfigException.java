package dev.bastion.chain.spi;

import dev.bastion.policies.source.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** A function's configuration was rejected; each problem names the chain file, line and field. */
public final class ConfigException extends Exception {
    private final List<Problem> problems;

    public ConfigException(Problem problem) {
        this(List.of(problem));
    }

    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
