package dev.bastion.policies.collect;

import dev.bastion.policies.model.Inventory;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes cluster as a collector (see {@link KubernetesInventory} for how objects map). Informers watch
 * pods, namespaces, nodes, NetworkPolicies, Services and EndpointSlices and keep local caches; a poll rebuilds
 * the inventory from the caches only when some watch event arrived since the previous poll.
 */
public final class KubernetesCollector implements Collector {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesCollector.class);

    private final AtomicBoolean changed = new AtomicBoolean(true);
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<NetworkPolicy> policies;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private Inventory last;

    /** Starts watching; returns once every informer has its initial list. */
    public KubernetesCollector(KubernetesClient client) {
        pods = watch(client.pods().inAnyNamespace().inform());
        namespaces = watch(client.namespaces().inform());
        nodes = watch(client.nodes().inform());
        policies = watch(client.network().v1().networkPolicies().inAnyNamespace().inform());
        services = watch(client.services().inAnyNamespace().inform());
        slices = watch(client.discovery().v1().endpointSlices().inAnyNamespace().inform());
    }

    private <T> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
        informers.add(informer);
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                changed.set(true);
            }

            @Override
            public void onUpdate(T before, T after) {
                changed.set(true);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                changed.set(true);
            }
        });
        return informer;
    }

    @Override
    public Optional<Inventory> poll() {
        if (!changed.getAndSet(false)) {
            return Optional.empty();
        }
        try {
            Inventory inventory = KubernetesInventory.build(pods.getStore().list(), namespaces.getStore().list(),
                    nodes.getStore().list(), policies.getStore().list(), services.getStore().list(), slices.getStore().list());
            if (inventory.equals(last)) {
                return Optional.empty();
            }
            last = inventory;
            return Optional.of(inventory);
        } catch (RuntimeException e) {
            LOG.warn("cannot build an inventory from the cluster's objects, keeping the last one: {}", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
