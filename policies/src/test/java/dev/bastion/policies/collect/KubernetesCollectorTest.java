package dev.bastion.policies.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against fabric8's mock API server in CRUD mode: objects come and go, the inventory follows. */
@EnableKubernetesMockClient(crud = true)
class KubernetesCollectorTest {
    static KubernetesClient client;

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

        client.network().v1().networkPolicies().inNamespace("shop").resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("db-from-web").withNamespace("shop").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "db").endPodSelector()
                .addNewIngress().addNewFrom().withNewPodSelector().addToMatchLabels("app", "web").endPodSelector().endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(5432)).endPort().endIngress()
                .withPolicyTypes("Ingress").endSpec().build()).create();
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

    private static Pod pod(String name, String ip, Map<String, String> labels, String ownerKind, String owner) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withLabels(labels).endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("main").withImage("img").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus();
        if (owner != null) {
            b.editMetadata().addNewOwnerReference().withKind(ownerKind).withName(owner).withController(true)
                    .withApiVersion("apps/v1").withUid(owner + "-uid").endOwnerReference().endMetadata();
        }
        return b.build();
    }

    private static void create(Pod pod) {
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
