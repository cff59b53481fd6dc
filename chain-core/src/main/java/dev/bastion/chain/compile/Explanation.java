package dev.bastion.chain.compile;

import java.util.List;
import java.util.Optional;

/**
 * Which chain takes a flow and why, or why none does. {@code chain}, {@code file} and {@code functions} are
 * set only when a chain takes it; {@code reasons} go through every chain in the order they were considered.
 */
public record Explanation(String source, String destination, String flow, boolean allowedByPolicy,
                          Optional<String> chain, Optional<String> file, List<String> functions,
                          Optional<String> failureMode, Optional<String> inspect, List<String> reasons) {
}
