package dev.bastion.policies.source;

import java.util.List;
import java.util.stream.Collectors;

/** A file was rejected; every problem found in it is listed, each with file, line and field. */
public final class InvalidSourceException extends Exception {
    private final List<Problem> problems;

    public InvalidSourceException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
