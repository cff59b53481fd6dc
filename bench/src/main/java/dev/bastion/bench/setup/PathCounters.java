package dev.bastion.bench.setup;

import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.lab.Lab;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.CounterMap.Counter;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.HostNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The datapath counters of the protected containers of the nodes an add-on started on: their reasons (forwarded
 * locally, to another node, passed to the host stack, delivered from outside) show which path the measured
 * packets took.
 */
final class PathCounters {
    private record Node(Datapath datapath, List<DatapathEnforcer.Protected> containers) {
    }

    private final List<Node> nodes = new ArrayList<>();

    /** Follows the containers {@code enforcer} protects on {@code node}, whose counters are in {@code datapath}. */
    void add(Lab lab, String node, Datapath datapath, DatapathEnforcer enforcer) {
        nodes.add(new Node(datapath, containersOn(lab, node).stream()
                .flatMap(c -> enforcer.protectedContainer(c.name()).stream()).toList()));
    }

    /** Each followed container's non-zero counters, by container name. */
    Map<String, Map<Reason, Counter>> read() {
        Map<String, Map<Reason, Counter>> out = new LinkedHashMap<>();
        nodes.forEach(n -> n.containers().forEach(c -> out.put(c.name(), n.datapath().counters().read(c.id()))));
        return out;
    }

    /** Logs the counters and forgets the nodes (their datapaths are about to be removed). */
    void logAndClear(Logger log) {
        read().forEach((container, counters) -> log.info("{}: {}", container, counters));
        nodes.clear();
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
}
