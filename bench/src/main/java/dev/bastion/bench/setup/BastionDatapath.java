package dev.bastion.bench.setup;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.enforce.DatapathEnforcer.Mode;
import dev.bastion.agent.enforce.LabInterfaces;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.Offload;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.PartitionDiff;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.HostNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The lab protected by the real datapath in one hook, as the agent protects it: each node's containers get the
 * inventory's partitions plus the benchmark's flows and {@code extraPolicies} policies each
 * ({@link BenchPartitions}). Removal detaches everything, deletes the pins and gives the containers back the
 * offloads XDP mode took from them, so the next setup of the round meets the lab as it was.
 */
public final class BastionDatapath implements NetworkSetup {
    private static final List<Offload> OFFLOADS = List.of(Offload.TX_CHECKSUM, Offload.TSO, Offload.GSO);

    private final Mode mode;
    private final int extraPolicies;
    private final String name;
    private final DatapathAddOn addOn;
    private final List<Datapath> applied = new ArrayList<>();
    private final Map<Container, Map<Offload, Boolean>> offloadsBefore = new LinkedHashMap<>();

    public BastionDatapath(Mode mode, int extraPolicies) {
        this(mode, extraPolicies, "bastion-" + mode.name().toLowerCase(Locale.ROOT) + "-" + extraPolicies,
                DatapathAddOn.NONE);
    }

    /**
     * The same datapath with {@code addOn} started on each node once it is protected, named {@code name}
     * ({@link BridgeChains} keeps one work directory: one-node labs only).
     */
    public BastionDatapath(Mode mode, int extraPolicies, String name, DatapathAddOn addOn) {
        this.mode = mode;
        this.extraPolicies = extraPolicies;
        this.name = name;
        this.addOn = addOn;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void apply(Lab lab) {
        PolicyView view = PolicyView.of(lab.inventory());
        Map<String, ContainerPartition> all = BenchPartitions.of(view.partitions(), extraPolicies);
        rememberOffloads(lab);
        try {
            for (HostNode node : lab.inventory().nodes()) {
                Map<String, ContainerPartition> local = all.entrySet().stream()
                        .filter(e -> e.getValue().self().node().equals(node.name()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
                PolicyView next = new PolicyView(view.inventory(), view.dependencies(), local);
                Datapath datapath = Datapath.open("bench-" + UUID.randomUUID().toString().substring(0, 8));
                applied.add(datapath);
                DatapathEnforcer enforcer = new DatapathEnforcer(datapath, mode, i -> new LabInterfaces(lab.names()));
                String namespace = lab.names().nodeNamespace(node);
                NetworkNamespace.run(namespace, () -> enforcer.apply(PartitionDiff.between(Map.of(), local), next));
                addOn.start(lab, namespace, datapath, enforcer, next);
            }
        } catch (RuntimeException e) {
            remove(lab);
            throw e;
        }
    }

    @Override
    public void remove(Lab lab) {
        RuntimeException failure = null;
        try {
            addOn.stop();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Datapath datapath : applied) {
            try {
                datapath.remove();
                datapath.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        applied.clear();
        offloadsBefore.forEach((c, offloads) -> NetworkNamespace.run(lab.names().containerNamespace(c),
                () -> offloads.forEach((o, on) -> {
                    if (o.enabled(LabNames.containerInterface()) != on) {
                        o.set(LabNames.containerInterface(), on);
                    }
                })));
        offloadsBefore.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private void rememberOffloads(Lab lab) {
        for (Container c : lab.inventory().containers()) {
            if (c.hostNetwork()) {
                continue;
            }
            Map<Offload, Boolean> states = new EnumMap<>(Offload.class);
            NetworkNamespace.run(lab.names().containerNamespace(c),
                    () -> OFFLOADS.forEach(o -> states.put(o, o.enabled(LabNames.containerInterface()))));
            offloadsBefore.put(c, states);
        }
    }
}
