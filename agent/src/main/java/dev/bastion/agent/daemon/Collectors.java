package dev.bastion.agent.daemon;

import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import dev.bastion.policies.collect.Collector;
import dev.bastion.policies.collect.DockerCollector;
import dev.bastion.policies.collect.KubernetesCollector;
import dev.bastion.policies.collect.StaticCollector;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** The collector the {@code collector} setting names. */
public final class Collectors {
    private Collectors() {
    }

    public static Collector of(AgentConfig config) {
        return switch (config.get(Setting.COLLECTOR)) {
            case "static" -> new StaticCollector(config.path(Setting.INVENTORY));
            // The client finds the API server as kubectl does: in-cluster service account, else ~/.kube/config.
            case "kubernetes" -> new KubernetesCollector(new KubernetesClientBuilder().build());
            case "docker" -> new DockerCollector(config.path(Setting.DOCKER_SOCKET), config.node());
            default -> throw new IllegalArgumentException("unknown collector " + config.get(Setting.COLLECTOR));
        };
    }
}
