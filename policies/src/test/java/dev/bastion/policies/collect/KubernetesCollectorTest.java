package dev.bastion.policies.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.dependency.Endpoint;
import dev.bastion.policies.dependency.Partitioner;
import dev.bastion.policies.dependency.PeerAccess;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.ServiceIp;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against fabric8's mock API server in CRUD mode: objects come and go, the inventory follows. */
@EnableKubernetesMockClient(crud = true)
class KubernetesCollectorTest {
    /** One mock server per test: each starts from an empty cluster. */
    KubernetesClient client;

    private KubernetesCollector collector;

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void podsPoliciesAndServicesComeAndGo() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .addToLabels("kubernetes.io/metadata.name", "shop").endMetadata().build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata()
                .withNewSpec().withPodCIDR("10.244.1.0/24").endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.168.1.10").endAddress().endStatus()
                .build()).create();
        create(pod("web-5d8f-x1", "10.244.1.11", Map.of("app", "web", "pod-template-hash", "5d8f"), "ReplicaSet", "web-5d8f"));
        create(pod("web-5d8f-x2", "10.244.1.12", Map.of("app", "web", "pod-template-hash", "5d8f"), "ReplicaSet", "web-5d8f"));
        create(pod("db-0", "10.244.1.21", Map.of("app", "db"), "StatefulSet", "db"));
        create(pod("cache-1", "10.244.1.31", Map.of("bastion.io/container-set", "cache"), null, null));
        create(pod("worker-1", "10.244.1.41", Map.of("bastion.io/depends-on", "cache_db"), null, null));

        collector = new KubernetesCollector(client);
        Inventory first = until(i -> i.containers().size() == 5);
        assertEquals("shop/web", first.container("shop/web-5d8f-x1").orElseThrow().containerSet(), "the Deployment");
        assertEquals("shop/db", first.container("shop/db-0").orElseThrow().containerSet());
        assertEquals("shop/cache", first.container("shop/cache-1").orElseThrow().containerSet());
        assertEquals(Optional.of("pods-node-a"), first.container("shop/db-0").orElseThrow().network());
        assertEquals(Ipv4Address.parse("10.244.1.1"), first.network("pods-node-a").orElseThrow().gateway());
        assertEquals(Optional.of(Ipv4Address.parse("192.168.1.10")), first.nodes().get(0).underlayIp());
        DependencyMap deps = DependencyExtractor.extract(first);
        assertEquals(List.of(PortSpec.ANY), deps.allowed("shop/worker-1", "shop/cache-1"), "depends-on label");
        assertEquals(List.of(PortSpec.ANY), deps.allowed("shop/worker-1", "shop/db-0"));
        assertEquals(List.of(), deps.allowed("shop/web-5d8f-x1", "shop/db-0"));
        assertEquals(Optional.empty(), collector.poll(), "no event, no inventory");

        dbFromWeb();
        Inventory withPolicy = until(i -> !DependencyExtractor.extract(i).allowed("shop/web-5d8f-x1", "shop/db-0").isEmpty());
        DependencyMap guarded = DependencyExtractor.extract(withPolicy);
        assertEquals(List.of(PortSpec.parse("tcp/5432")), guarded.allowed("shop/web-5d8f-x2", "shop/db-0"));
        assertEquals(List.of(), guarded.allowed("shop/worker-1", "shop/db-0"), "db's ingress names only web now");

        client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("db")
                .withNamespace("shop").endMetadata().withNewSpec().withClusterIP("10.96.0.20")
                .addNewPort().withName("pg").withProtocol("TCP").withPort(5432).withTargetPort(new IntOrString(5432)).endPort()
                .endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("db-abcde").withNamespace("shop").addToLabels("kubernetes.io/service-name", "db")
                .endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.244.1.21").withNewTargetRef().withKind("Pod").withNamespace("shop")
                .withName("db-0").endTargetRef().endEndpoint()
                .addNewPort().withName("pg").withProtocol("TCP").withPort(15432).endPort().build()).create();
        Inventory withService = until(i -> !i.services().isEmpty());
        ServiceIp db = withService.services().get(0);
        assertEquals(new ServiceIp("shop/db:pg", Ipv4Address.parse("10.96.0.20"), PortSpec.parse("tcp/5432"), "shop/db", 15432), db);

        create(pod("web-5d8f-x3", "10.244.1.13", Map.of("app", "web", "pod-template-hash", "5d8f"), "ReplicaSet", "web-5d8f"));
        Inventory scaled = until(i -> i.container("shop/web-5d8f-x3").isPresent());
        assertEquals(List.of(PortSpec.parse("tcp/5432")),
                DependencyExtractor.extract(scaled).allowed("shop/web-5d8f-x3", "shop/db-0"), "a new replica inherits");

        client.services().inNamespace("shop").withName("db").delete();
        until(i -> i.services().isEmpty());
        client.pods().inNamespace("shop").withName("web-5d8f-x2").delete();
        client.network().v1().networkPolicies().inNamespace("shop").withName("db-from-web").delete();
        Inventory after = until(i -> i.container("shop/web-5d8f-x2").isEmpty() && i.policies().stream()
                .noneMatch(p -> p.containerSet().equals("shop/db")));
        assertEquals(List.of(), DependencyExtractor.extract(after).allowed("shop/web-5d8f-x1", "shop/db-0"));
    }

    @Test
    void aPodOnAnotherNodeIsARemotePeerOfTheLocalPodItsPolicyAllows() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .addToLabels("kubernetes.io/metadata.name", "shop").endMetadata().build()).create();
        node("node-a", "10.244.1.0/24", "192.168.1.10");
        node("node-b", "10.244.2.0/24", "192.168.1.11");
        create(pod("web-1", "node-a", "10.244.1.11", Map.of("app", "web"), null, null));
        create(pod("db-0", "node-b", "10.244.2.21", Map.of("app", "db"), "StatefulSet", "db"));
        // Scheduled on a node the API does not list (yet): no address to send its frames to.
        create(pod("db-1", "node-c", "10.244.3.21", Map.of("app", "db"), "StatefulSet", "db"));
        dbFromWeb();

        collector = new KubernetesCollector(client);
        Inventory fromApi = until(i -> i.containers().size() == 3 && !i.policies().isEmpty());
        // On node-a the agent gives its own pods the MAC of their interface; other nodes' pods keep none.
        MacAddress webMac = MacAddress.parse("0a:58:0a:f4:01:0b");
        Inventory onNodeA = new Inventory(fromApi.name(), fromApi.underlay(), fromApi.nodes(), fromApi.networks(),
                fromApi.containers().stream().map(c -> c.node().equals("node-a") ? withMac(c, webMac) : c).toList(),
                fromApi.containerSets(), fromApi.microservices(), fromApi.policies(), fromApi.services());
        Map<String, ContainerPartition> partitions = Partitioner.partition(onNodeA, DependencyExtractor.extract(onNodeA));

        assertEquals(Set.of("shop/web-1"), partitions.keySet(), "only a pod with its MAC is protected here");
        ContainerPartition web = partitions.get("shop/web-1");
        assertEquals(Optional.of(webMac), web.self().mac());
        assertEquals(List.of(new PeerAccess(new Endpoint("shop/db-0", "node-b", Ipv4Address.parse("10.244.2.21"),
                Optional.empty()), List.of(PortSpec.parse("tcp/5432")), List.of())), web.peers(),
                "db-0 is reached through node-b; db-1's node is unknown");
    }

    /** A NetworkPolicy: pods labelled app=db accept tcp/5432 from pods labelled app=web. */
    private void dbFromWeb() {
        client.network().v1().networkPolicies().inNamespace("shop").resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("db-from-web").withNamespace("shop").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "db").endPodSelector()
                .addNewIngress().addNewFrom().withNewPodSelector().addToMatchLabels("app", "web").endPodSelector().endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(5432)).endPort().endIngress()
                .withPolicyTypes("Ingress").endSpec().build()).create();
    }

    private void node(String name, String podCidr, String internalIp) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDR(podCidr).endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress().endStatus()
                .build()).create();
    }

    private static Container withMac(Container c, MacAddress mac) {
        return new Container(c.name(), c.containerSet(), c.node(), c.network(), c.ip(), Optional.of(mac),
                c.hostNetwork(), c.labels());
    }

    private static Pod pod(String name, String ip, Map<String, String> labels, String ownerKind, String owner) {
        return pod(name, "node-a", ip, labels, ownerKind, owner);
    }

    private static Pod pod(String name, String node, String ip, Map<String, String> labels, String ownerKind,
            String owner) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("img").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus();
        if (owner != null) {
            b.editMetadata().addNewOwnerReference().withKind(ownerKind).withName(owner).withController(true)
                    .withApiVersion("apps/v1").withUid(owner + "-uid").endOwnerReference().endMetadata();
        }
        return b.build();
    }

    private void create(Pod pod) {
        client.pods().inNamespace("shop").resource(pod).create();
    }

    /** Polls as the agent does until an inventory satisfying {@code condition} arrives. */
    private Inventory until(Predicate<Inventory> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Inventory> next = collector.poll();
            if (next.isPresent() && condition.test(next.get())) {
                return next.get();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no inventory satisfying the condition within 10 s");
    }
}
