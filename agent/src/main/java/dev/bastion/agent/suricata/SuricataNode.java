package dev.bastion.agent.suricata;

import dev.bastion.bridge.Bridge;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.net.NetworkNamespace;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every Suricata port of a node shares: the datapath and bridge it plugs into, how Suricata is run, where the
 * chains' rule files are, where instances keep their files, where alerts go, and the network namespace of the
 * node's interfaces (empty: the agent's own; a lab node's otherwise, and then {@code command} must enter it too).
 */
public record SuricataNode(Datapath datapath, Bridge bridge, SuricataCommand command, Path ruleDirectory,
                           Path runtimeDirectory, SuricataSupervisor.Timings timings, AlertSink alerts,
                           Optional<Path> namespace) {

    /** Runs {@code action} on this thread in the node's network namespace. */
    <T> T inNamespace(Supplier<T> action) {
        return namespace.isPresent() ? NetworkNamespace.call(namespace.get(), action) : action.get();
    }
}
