package dev.bastion.policies.source;

import java.nio.file.Path;

/** One thing wrong with an input file, located precisely enough for an operator to fix it. */
public record Problem(Path file, int line, String field, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + field + ": " + message;
    }
}
