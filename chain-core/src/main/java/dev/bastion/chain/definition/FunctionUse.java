package dev.bastion.chain.definition;

import dev.bastion.chain.spi.FunctionConfig;
import java.nio.file.Path;

/** One entry of a chain's {@code functions} list: which function, with which configuration, written where. */
public record FunctionUse(String name, FunctionConfig config, Path file, int line) {
}
