package dev.bastion.policies.collect;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.Ipv4Prefix;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import dev.bastion.policies.model.ServiceIp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Kubernetes objects into an inventory. Containers are pods, named {@code namespace/pod}; a pod's set is
 * its {@code bastion.io/container-set} label, else its controller (a Deployment through its ReplicaSet, a
 * StatefulSet, a DaemonSet), else the pod alone, always within its namespace. Explicit dependencies are the
 * {@code bastion.io/depends-on} label (set names joined by '_', as label values hold no commas) and
 * NetworkPolicies (pod and namespace selectors; ipBlock peers and named ports are not container dependencies
 * and are skipped with a warning). Services with a cluster IP become service IPs backed by the set of the
 * pods in their EndpointSlices. Pod CIDRs of nodes are the container networks, their first address the
 * gateway (the CNI bridge's convention). The API knows no pod MAC: containers carry none, and the agent
 * learns them from the node's interfaces.
 */
final class KubernetesInventory {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesInventory.class);
    static final String SET_LABEL = "bastion.io/container-set";
    static final String DEPENDS_ON_LABEL = "bastion.io/depends-on";
    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final List<Pod> pods;
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final Map<String, String> setOfPod = new HashMap<>();

    private KubernetesInventory(List<Pod> pods, List<Namespace> namespaces) {
        this.pods = pods.stream().filter(KubernetesInventory::isUp).sorted(Comparator.comparing(KubernetesInventory::key)).toList();
        namespaces.forEach(n -> namespaceLabels.put(n.getMetadata().getName(), labels(n)));
        this.pods.forEach(p -> setOfPod.put(key(p), containerSet(p)));
    }

    static Inventory build(List<Pod> pods, List<Namespace> namespaces, List<Node> nodes, List<NetworkPolicy> networkPolicies,
            List<Service> services, List<EndpointSlice> slices) {
        return new KubernetesInventory(pods, namespaces).inventory(nodes, networkPolicies, services, slices);
    }

    private Inventory inventory(List<Node> nodeObjects, List<NetworkPolicy> networkPolicies, List<Service> services,
            List<EndpointSlice> slices) {
        Map<String, HostNode> nodes = new TreeMap<>();
        List<ContainerNetwork> networks = new ArrayList<>();
        for (Node n : nodeObjects) {
            String name = n.getMetadata().getName();
            Optional<Ipv4Address> internal = Optional.ofNullable(n.getStatus()).map(s -> s.getAddresses()).orElse(List.of()).stream()
                    .filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress).filter(a -> a.indexOf(':') < 0)
                    .findFirst().map(Ipv4Address::parse);
            nodes.put(name, new HostNode(name, internal));
            Optional.ofNullable(n.getSpec()).map(s -> s.getPodCIDR()).filter(c -> c.indexOf(':') < 0).ifPresent(cidr -> {
                try {
                    Ipv4Prefix subnet = Ipv4Prefix.parse(cidr);
                    networks.add(new ContainerNetwork("pods-" + name, name, subnet,
                            new Ipv4Address(subnet.network().bits() + 1), Optional.empty()));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Node {}: spec.podCIDR: {}; the node's pods get no network", name, e.getMessage());
                }
            });
        }
        List<Container> containers = new ArrayList<>();
        PolicyBuilder policies = new PolicyBuilder();
        for (Pod p : pods) {
            String node = Objects.requireNonNullElse(p.getSpec().getNodeName(), "");
            nodes.putIfAbsent(node, new HostNode(node, Optional.empty()));
            boolean host = Boolean.TRUE.equals(p.getSpec().getHostNetwork());
            Optional<Ipv4Address> ip = host ? Optional.empty() : Optional.of(Ipv4Address.parse(p.getStatus().getPodIP()));
            Optional<String> network = ip.flatMap(a -> networks.stream().filter(n -> n.subnet().contains(a)).findFirst())
                    .map(ContainerNetwork::name);
            String set = setOfPod.get(key(p));
            containers.add(new Container(key(p), set, node, network, ip, Optional.empty(), host, labels(p)));
            Optional.ofNullable(labels(p).get(DEPENDS_ON_LABEL)).ifPresent(value -> {
                for (String target : value.split("_")) {
                    if (!target.isBlank()) {
                        policies.egress(set, p.getMetadata().getNamespace() + "/" + target.trim(), List.of(PortSpec.ANY));
                    }
                }
            });
        }
        networkPolicies.stream().sorted(Comparator.comparing(KubernetesInventory::key)).forEach(np -> networkPolicy(np, policies));
        List<ContainerSet> sets = new TreeSet<>(setOfPod.values()).stream()
                .map(s -> new ContainerSet(s, Optional.empty(), List.of())).toList();
        return new Inventory("kubernetes", Optional.empty(), List.copyOf(nodes.values()), networks, containers, sets,
                List.of(), policies.build(), services(services, slices));
    }

    private void networkPolicy(NetworkPolicy np, PolicyBuilder policies) {
        String namespace = np.getMetadata().getNamespace();
        Set<String> selected = setsOf(pods.stream().filter(p -> p.getMetadata().getNamespace().equals(namespace)
                && LabelSelectors.matches(np.getSpec().getPodSelector(), labels(p))).toList());
        var spec = np.getSpec();
        if (spec.getIngress() != null) {
            spec.getIngress().forEach(rule -> rules(np, rule.getFrom(), rule.getPorts(), selected, policies::ingress));
        }
        if (spec.getEgress() != null) {
            spec.getEgress().forEach(rule -> rules(np, rule.getTo(), rule.getPorts(), selected, policies::egress));
        }
    }

    private void rules(NetworkPolicy np, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports, Set<String> selected,
            TriConsumer add) {
        List<PortSpec> specs = ports(np, ports);
        if (specs.isEmpty()) {
            return;
        }
        Set<String> peerSets = new LinkedHashSet<>();
        if (peers == null || peers.isEmpty()) {
            peerSets.addAll(setOfPod.values()); // no peer list: every pod
        } else {
            for (NetworkPolicyPeer peer : peers) {
                if (peer.getIpBlock() != null) {
                    LOG.warn("NetworkPolicy {}: ipBlock peers are not containers; skipped", key(np));
                    continue;
                }
                peerSets.addAll(setsOf(pods.stream().filter(p -> selects(np, peer, p)).toList()));
            }
        }
        for (String set : selected) {
            for (String peer : peerSets) {
                add.accept(set, peer, specs);
            }
        }
    }

    private boolean selects(NetworkPolicy np, NetworkPolicyPeer peer, Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        boolean namespaceMatches = peer.getNamespaceSelector() == null
                ? namespace.equals(np.getMetadata().getNamespace())
                : LabelSelectors.matches(peer.getNamespaceSelector(),
                        namespaceLabels.getOrDefault(namespace, Map.of(NAMESPACE_NAME_LABEL, namespace)));
        return namespaceMatches && (peer.getPodSelector() == null || LabelSelectors.matches(peer.getPodSelector(), labels(pod)));
    }

    /** A rule's ports; none listed is every port. A rule whose every port is named allows nothing known. */
    private static List<PortSpec> ports(NetworkPolicy np, List<NetworkPolicyPort> ports) {
        if (ports == null || ports.isEmpty()) {
            return List.of(PortSpec.ANY);
        }
        List<PortSpec> out = new ArrayList<>();
        for (NetworkPolicyPort port : ports) {
            Protocol protocol = "UDP".equals(port.getProtocol()) ? Protocol.UDP : Protocol.TCP;
            IntOrString number = port.getPort();
            if (number == null) {
                out.add(new PortSpec(protocol, 0, 65535));
            } else if (number.getIntVal() == null) {
                LOG.warn("NetworkPolicy {}: named port {} is not supported; skipped", key(np), number.getStrVal());
            } else {
                int from = number.getIntVal();
                out.add(new PortSpec(protocol, from, port.getEndPort() == null ? from : port.getEndPort()));
            }
        }
        return out;
    }

    private List<ServiceIp> services(List<Service> services, List<EndpointSlice> slices) {
        List<ServiceIp> out = new ArrayList<>();
        for (Service svc : services.stream().sorted(Comparator.comparing(KubernetesInventory::key)).toList()) {
            String clusterIp = svc.getSpec().getClusterIP();
            if (clusterIp == null || clusterIp.isEmpty() || clusterIp.equals("None") || clusterIp.indexOf(':') >= 0) {
                continue;
            }
            List<EndpointSlice> own = slices.stream().filter(s -> s.getMetadata().getNamespace().equals(svc.getMetadata().getNamespace())
                    && svc.getMetadata().getName().equals(labels(s).get(SERVICE_NAME_LABEL))).toList();
            Optional<String> set = own.stream().flatMap(s -> s.getEndpoints().stream())
                    .map(e -> e.getTargetRef()).filter(r -> r != null && "Pod".equals(r.getKind()))
                    .map(r -> setOfPod.get(r.getNamespace() + "/" + r.getName())).filter(Objects::nonNull).findFirst();
            if (set.isEmpty()) {
                continue; // no ready backend: nothing to rewrite to
            }
            for (ServicePort port : svc.getSpec().getPorts()) {
                Protocol protocol = "UDP".equals(port.getProtocol()) ? Protocol.UDP : "TCP".equals(port.getProtocol())
                        || port.getProtocol() == null ? Protocol.TCP : null;
                if (protocol == null) {
                    continue;
                }
                int target = own.stream().flatMap(s -> s.getPorts().stream())
                        .filter(p -> Objects.equals(p.getName(), port.getName()) && p.getPort() != null)
                        .map(p -> p.getPort()).findFirst()
                        .orElse(port.getTargetPort() != null && port.getTargetPort().getIntVal() != null
                                ? port.getTargetPort().getIntVal() : port.getPort());
                String name = key(svc) + (port.getName() == null || port.getName().isEmpty() ? "" : ":" + port.getName());
                out.add(new ServiceIp(name, Ipv4Address.parse(clusterIp), new PortSpec(protocol, port.getPort(), port.getPort()),
                        set.get(), target));
            }
        }
        return out;
    }

    private Set<String> setsOf(List<Pod> selected) {
        Set<String> out = new TreeSet<>();
        selected.forEach(p -> out.add(setOfPod.get(key(p))));
        return out;
    }

    private static String containerSet(Pod p) {
        String namespace = p.getMetadata().getNamespace();
        Map<String, String> labels = labels(p);
        if (labels.containsKey(SET_LABEL)) {
            return namespace + "/" + labels.get(SET_LABEL);
        }
        List<OwnerReference> owners = Optional.ofNullable(p.getMetadata().getOwnerReferences()).orElse(List.of());
        for (OwnerReference owner : owners) {
            if (Boolean.TRUE.equals(owner.getController())) {
                String name = owner.getName();
                String hash = labels.get("pod-template-hash");
                if ("ReplicaSet".equals(owner.getKind()) && hash != null && name.endsWith("-" + hash)) {
                    name = name.substring(0, name.length() - hash.length() - 1); // the Deployment
                }
                return namespace + "/" + name;
            }
        }
        return key(p);
    }

    private static boolean isUp(Pod p) {
        if (p.getSpec() == null || p.getStatus() == null) {
            return false;
        }
        String phase = p.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase) || p.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String ip = p.getStatus().getPodIP();
        return Boolean.TRUE.equals(p.getSpec().getHostNetwork()) || (ip != null && !ip.isEmpty() && ip.indexOf(':') < 0);
    }

    private static String key(HasMetadata o) {
        return o.getMetadata().getNamespace() == null ? o.getMetadata().getName()
                : o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    private static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(o.getMetadata().getLabels());
    }

    @FunctionalInterface
    private interface TriConsumer {
        void accept(String set, String peer, List<PortSpec> ports);
    }
}
