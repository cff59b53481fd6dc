package dev.bastion.agent.enforce;

import dev.bastion.policies.collect.Collector;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.source.InvalidSourceException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API knows no pod's MAC, and a container without one gets no partition (the datapath verifies
 * sources by MAC). This collector gives each pod of this node the MAC of its interface, read from its network
 * namespace. A pod whose veth is not found yet passes without a MAC, unprotected, and is looked for again at the
 * next poll.
 */
public final class PodMacs implements Collector {
    private static final Logger log = LoggerFactory.getLogger(PodMacs.class);

    private final Collector pods;
    private final String node;
    private final PodVeths veths;
    private Inventory polled;
    private Inventory last;
    /** Whether {@link #polled} still has pods to look for: it is new, or some of its pods were not found. */
    private boolean lookAgain;
    private Set<String> missing = Set.of();

    public PodMacs(Collector pods, String node, PodVeths veths) {
        this.pods = pods;
        this.node = node;
        this.veths = veths;
    }

    @Override
    public Optional<Inventory> poll() throws InvalidSourceException {
        Optional<Inventory> next = pods.poll();
        next.ifPresent(i -> {
            polled = i;
            lookAgain = true;
        });
        if (!lookAgain) {
            return Optional.empty();
        }
        List<Container> local = polled.containers().stream().filter(this::needsMac).toList();
        Map<Ipv4Address, PodVeth> found = veths.find(local.stream().map(c -> c.ip().orElseThrow())
                .collect(Collectors.toSet()));
        Set<String> stillMissing = local.stream().filter(c -> !found.containsKey(c.ip().orElseThrow()))
                .map(Container::name).collect(Collectors.toSet());
        if (!stillMissing.equals(missing)) {
            log.info("pods of this node without a veth yet (unprotected until found): {}", stillMissing);
        }
        missing = stillMissing;
        lookAgain = !stillMissing.isEmpty();
        List<Container> containers = polled.containers().stream()
                .map(c -> needsMac(c) && found.containsKey(c.ip().orElseThrow()) ? withMac(c, found.get(c.ip().get())) : c)
                .toList();
        Inventory withMacs = new Inventory(polled.name(), polled.underlay(), polled.nodes(), polled.networks(),
                containers, polled.containerSets(), polled.microservices(), polled.policies(), polled.services());
        if (withMacs.equals(last)) {
            return Optional.empty();
        }
        last = withMacs;
        return Optional.of(withMacs);
    }

    private boolean needsMac(Container c) {
        return c.node().equals(node) && !c.hostNetwork() && c.ip().isPresent() && c.mac().isEmpty();
    }

    private static Container withMac(Container c, PodVeth veth) {
        return new Container(c.name(), c.containerSet(), c.node(), c.network(), c.ip(), Optional.of(veth.mac()),
                c.hostNetwork(), c.labels());
    }

    @Override
    public void close() {
        pods.close();
    }
}
