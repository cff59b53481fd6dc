package dev.bastion.agent.attack;

import dev.bastion.agent.lab.LabNames;
import dev.bastion.datapath.bpf.BpfMap;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.CounterMap;
import dev.bastion.datapath.maps.EndpointMap;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.model.Container;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's datapath as the suite's evidence: a container's drop counters from the {@code counters} map, found
 * through the {@code endpoints} entry of its host-side veth. Each reason is reported with the component that drops
 * for it, e.g. "source verification (SPOOFED_IP)".
 */
public final class DatapathCounters implements BlockEvidence, AutoCloseable {
    private final EndpointMap endpoints;
    private final CounterMap counters;
    private final LabNames names;
    private final List<BpfMap> opened;

    private DatapathCounters(EndpointMap endpoints, CounterMap counters, LabNames names, List<BpfMap> opened) {
        this.endpoints = endpoints;
        this.counters = counters;
        this.names = names;
        this.opened = opened;
    }

    /** The counters of a datapath this process loaded. */
    public static DatapathCounters of(Datapath datapath, LabNames names) {
        return new DatapathCounters(datapath.endpoints(), datapath.counters(), names, List.of());
    }

    /** The counters of a running agent's datapath, from its maps pinned in {@code pins} (read only). */
    public static DatapathCounters pinned(Path pins, LabNames names) {
        BpfMap endpoints = BpfMap.openPinned(pins.resolve(EndpointMap.NAME));
        try {
            BpfMap counters = BpfMap.openPinned(pins.resolve(CounterMap.NAME));
            return new DatapathCounters(new EndpointMap(endpoints), new CounterMap(counters), names, List.of(endpoints, counters));
        } catch (RuntimeException e) {
            endpoints.close();
            throw e;
        }
    }

    @Override
    public Mode mode() {
        return Mode.PROTECTED;
    }

    @Override
    public Map<String, Long> drops(Container container) {
        Map<String, Long> out = new LinkedHashMap<>();
        endpointId(container).ifPresent(id -> counters.read(id).forEach((reason, counter) -> {
            if (reason.dropped()) {
                out.put(describe(reason), counter.packets());
            }
        }));
        return out;
    }

    @Override
    public void close() {
        opened.forEach(BpfMap::close);
    }

    /** The component that drops packets for {@code reason}, and the reason as the datapath names it. */
    static String describe(Reason reason) {
        String component = switch (reason) {
            case SPOOFED_MAC, SPOOFED_IP, UNKNOWN_IFINDEX -> Component.SOURCE_VERIFICATION.title();
            case ARP_DENIED, ARP_NOT_REQUEST, ARP_GRATUITOUS -> Component.DIRECT_ARP.title();
            case GATEWAY -> Component.GATEWAY_AND_SERVICE_IP.title();
            case NO_POLICY, PORT_DENIED, OVERRIDE_BLOCK -> Component.ISOLATION.title();
            case HOST_INJECTED -> Component.DIRECT_FORWARDING.title() + ", egress guard";
            default -> "fail-closed parsing";
        };
        return component + " (" + reason.name() + ")";
    }

    /** The datapath's id of {@code container}; none for a host-network container or one the agent does not protect. */
    private Optional<Integer> endpointId(Container container) {
        if (container.hostNetwork()) {
            return Optional.empty();
        }
        int ifindex = NetworkNamespace.call(names.nodeNamespace(container.node()),
                () -> Interfaces.index(names.hostVeth(container)));
        return endpoints.get(ifindex).map(EndpointMap.Endpoint::id);
    }
}
