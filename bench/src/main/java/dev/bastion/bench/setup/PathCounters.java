package dev.bastion.bench.setup;

import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.lab.Lab;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.HostNode;
import java.util.List;
import org.slf4j.Logger;

/**
 * The datapath counters of one node's protected containers, read when a setup stops: their reasons (forwarded
 * locally, to another node, passed to the host stack, delivered from outside) show which path the measured
 * packets took.
 */
record PathCounters(String node, Datapath datapath, List<DatapathEnforcer.Protected> containers) {

    static PathCounters of(Lab lab, String node, Datapath datapath, DatapathEnforcer enforcer) {
        return new PathCounters(node, datapath, containersOn(lab, node).stream()
                .flatMap(c -> enforcer.protectedContainer(c.name()).stream()).toList());
    }

    /** The lab node whose namespace {@code nodeNamespace} is (add-ons are started with the namespace). */
    static HostNode nodeOf(Lab lab, String nodeNamespace) {
        return lab.inventory().nodes().stream().filter(n -> lab.names().nodeNamespace(n).equals(nodeNamespace))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no lab node has namespace " + nodeNamespace));
    }

    /** The lab's containers with an interface of their own on {@code node}. */
    static List<Container> containersOn(Lab lab, String node) {
        return lab.inventory().containers().stream().filter(c -> !c.hostNetwork() && c.node().equals(node)).toList();
    }

    void log(Logger log) {
        containers.forEach(c -> log.info("{} on {}: {}", c.name(), node, datapath.counters().read(c.id())));
    }
}
