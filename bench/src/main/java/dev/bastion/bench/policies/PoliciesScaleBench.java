package dev.bastion.bench.policies;

import dev.bastion.policies.dependency.ContainerChange;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.dependency.PartitionDiff;
import dev.bastion.policies.dependency.Partitioner;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.Ipv4Prefix;
import dev.bastion.policies.model.MacAddress;
import dev.bastion.policies.model.Microservice;
import dev.bastion.policies.model.Policy;
import dev.bastion.policies.model.PolicyRule;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.ServiceIp;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Scale of the policy side (issue 3): dependency extraction and partitioning of a synthetic platform, then the
 * diff after one container moves. Plain main, wall-clock over repeated runs after warm-up; the JIT and GC are
 * the JVM's defaults. Arguments: containers, sets, microservices, nodes (default 10000 1000 100 10).
 *
 * <p>The platform: sets of equal size, each set depending on two sets of its own microservice (internal port
 * tcp/8080, declared on both sides) and one set of the next microservice (global port tcp/443, also declared on both sides);
 * one service IP per set.
 */
public final class PoliciesScaleBench {
    private static final int WARMUP = 5;
    private static final int RUNS = 11;
    /** The diff is sub-millisecond work: it needs many more runs for the JIT to have compiled it. */
    private static final int DIFF_RUNS = 501;

    private PoliciesScaleBench() {
    }

    public static void main(String[] args) {
        int containers = arg(args, 0, 10_000);
        int sets = arg(args, 1, 1_000);
        int services = arg(args, 2, 100);
        int nodes = arg(args, 3, 10);
        Inventory inventory = platform(containers, sets, services, nodes);

        double cold = time(() -> Partitioner.partition(inventory, DependencyExtractor.extract(inventory)));
        double extract = median(() -> DependencyExtractor.extract(inventory));
        DependencyMap deps = DependencyExtractor.extract(inventory);
        double partition = median(() -> Partitioner.partition(inventory, deps));
        double both = median(() -> Partitioner.partition(inventory, DependencyExtractor.extract(inventory)));

        long heapBefore = usedHeap();
        Map<String, ContainerPartition> before = Partitioner.partition(inventory, deps);
        long heapAfter = usedHeap();
        long peers = before.values().stream().mapToLong(p -> p.peers().size()).sum();

        Inventory moved = moveOne(inventory, containers / 2);
        double repartition = median(() -> Partitioner.partition(moved, DependencyExtractor.extract(moved), before));
        Map<String, ContainerPartition> after = Partitioner.partition(moved, DependencyExtractor.extract(moved), before);
        double firstDiff = time(() -> PartitionDiff.between(before, after));
        double diff = median(() -> PartitionDiff.between(before, after), DIFF_RUNS, DIFF_RUNS);
        List<ContainerChange> changes = PartitionDiff.between(before, after);

        System.out.printf("platform: %d containers in %d sets, %d microservices, %d nodes; %d dependencies between sets,"
                + " %d peer entries over all partitions%n", containers, sets, services, nodes, dependencyEdges(deps, sets), peers);
        System.out.printf("extraction:                 %8.1f ms (median of %d)%n", extract, RUNS);
        System.out.printf("partitioning:               %8.1f ms%n", partition);
        System.out.printf("extraction + partitioning:  %8.1f ms   (target < 2000 ms; the first run, cold JVM: %.1f ms)%n",
                both, cold);
        System.out.printf("partitions on the heap:     %8.1f MiB retained (used heap after GC, before/after)%n",
                (heapAfter - heapBefore) / 1048576.0);
        System.out.printf("one container moved: re-extract + re-partition reusing unchanged partitions %8.1f ms%n", repartition);
        System.out.printf("one container moved: diff   %8.3f ms   (target < 1 ms; median of %d after %d warm-up runs,"
                + " the first run took %.3f ms); %d containers changed%n", diff, DIFF_RUNS, DIFF_RUNS, firstDiff, changes.size());
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    private static double median(Supplier<?> work) {
        return median(work, WARMUP, RUNS);
    }

    /** Median wall time in milliseconds over {@code runs} runs after {@code warmup} runs. */
    private static double median(Supplier<?> work, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) {
            work.get();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            ms[i] = time(work);
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    private static double time(Supplier<?> work) {
        long start = System.nanoTime();
        work.get();
        return (System.nanoTime() - start) / 1e6;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long dependencyEdges(DependencyMap deps, int sets) {
        long edges = 0;
        for (int s = 0; s < sets; s++) {
            edges += deps.reachedBy(setName(s)).size();
        }
        return edges;
    }

    public static Inventory platform(int containers, int sets, int microservices, int nodes) {
        List<HostNode> hostNodes = new ArrayList<>();
        List<ContainerNetwork> networks = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            hostNodes.add(new HostNode("node" + n, Optional.of(new Ipv4Address(0x0afa0000 + n + 1))));
            networks.add(new ContainerNetwork("pods" + n, "node" + n, new Ipv4Prefix(new Ipv4Address(0x0a000000 + (n << 16)), 16),
                    new Ipv4Address(0x0a000000 + (n << 16) + 1), Optional.of(new MacAddress(0x02aa00000000L + n))));
        }
        List<Container> list = new ArrayList<>();
        for (int i = 0; i < containers; i++) {
            list.add(container(i, sets, nodes, i));
        }
        int setsPerService = Math.max(1, sets / microservices);
        List<ContainerSet> setList = new ArrayList<>();
        List<Policy> policies = new ArrayList<>();
        List<ServiceIp> serviceIps = new ArrayList<>();
        List<List<PolicyRule>> ingress = new ArrayList<>();
        for (int s = 0; s < sets; s++) {
            ingress.add(new ArrayList<>());
        }
        List<PortSpec> internal = List.of(PortSpec.parse("tcp/8080"));
        List<PortSpec> global = List.of(PortSpec.parse("tcp/443"));
        for (int s = 0; s < sets; s++) {
            int service = s / setsPerService;
            int first = service * setsPerService;
            setList.add(new ContainerSet(setName(s), Optional.of("ms" + service), List.of(PortSpec.parse("tcp/8080"),
                    PortSpec.parse("tcp/443"))));
            List<PolicyRule> egress = new ArrayList<>();
            for (int k = 1; k <= 2; k++) {
                int peer = first + (s - first + k) % setsPerService;
                egress.add(new PolicyRule(setName(peer), internal));
                ingress.get(peer).add(new PolicyRule(setName(s), internal));
            }
            int other = (first + setsPerService + (s - first)) % sets;
            egress.add(new PolicyRule(setName(other), global));
            ingress.get(other).add(new PolicyRule(setName(s), global));
            policies.add(new Policy(setName(s), ingress.get(s), egress));
            serviceIps.add(new ServiceIp("svc" + s, new Ipv4Address(0x0a600000 + s), PortSpec.parse("tcp/80"), setName(s), 8080));
        }
        List<Microservice> services = new ArrayList<>();
        for (int m = 0; m < microservices; m++) {
            services.add(new Microservice("ms" + m, global));
        }
        return new Inventory("scale", Optional.empty(), hostNodes, networks, list, setList, services, policies, serviceIps);
    }

    private static String setName(int s) {
        return "set" + s;
    }

    /** Container i: set i mod sets, node i mod nodes, host number {@code host} on its node's network. */
    private static Container container(int i, int sets, int nodes, int host) {
        int node = i % nodes;
        Ipv4Address ip = new Ipv4Address(0x0a000000 + (node << 16) + 2 + host / nodes);
        return new Container("c" + i, setName(i % sets), "node" + node, Optional.of("pods" + node), Optional.of(ip),
                Optional.of(MacAddress.dockerStyle(ip)), false, Map.of());
    }

    /** The same platform with container {@code index} rescheduled: a new address on its node. */
    public static Inventory moveOne(Inventory inventory, int index) {
        List<Container> containers = new ArrayList<>(inventory.containers());
        Container old = containers.get(index);
        Ipv4Address ip = new Ipv4Address(old.ip().orElseThrow().bits() + 60_000);
        containers.set(index, new Container(old.name(), old.containerSet(), old.node(), old.network(), Optional.of(ip),
                Optional.of(MacAddress.dockerStyle(ip)), false, old.labels()));
        return new Inventory(inventory.name(), inventory.underlay(), inventory.nodes(), inventory.networks(), containers,
                inventory.containerSets(), inventory.microservices(), inventory.policies(), inventory.services());
    }
}
