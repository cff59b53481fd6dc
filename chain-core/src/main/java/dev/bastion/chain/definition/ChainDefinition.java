package dev.bastion.chain.definition;

import dev.bastion.chain.engine.FailureMode;
import dev.bastion.chain.engine.InspectionDepth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** One {@code SecurityChain} file as written, checked but not yet compiled. */
public record ChainDefinition(
        Path file,
        int line,
        String name,
        ChainContext context,
        ChainFlows flows,
        List<FunctionUse> functions,
        FailureMode failureMode,
        InspectionDepth inspect,
        Duration budget,
        OptionalInt priority) {

    /** The priority used to choose between chains that take the same flow; higher wins, 0 when not given. */
    public int effectivePriority() {
        return priority.orElse(0);
    }

    public String location() {
        return file + ":" + line;
    }
}
