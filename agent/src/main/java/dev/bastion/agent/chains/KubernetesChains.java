package dev.bastion.agent.chains;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * SecurityChain resources, watched and written as chain files into a directory the agent's {@link ChainDirectory}
 * follows: so a resource is validated exactly as a file is, and its problems name it ({@code <namespace>.<name>.yaml}).
 * The resource's {@code spec} holds a chain file's fields; its name is the chain's name.
 */
public final class KubernetesChains implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubernetesChains.class);
    public static final String API_VERSION = "bastion.dev/v1";
    public static final String KIND = "SecurityChain";
    /** The resource as examples/kubernetes/securitychain-crd.yaml defines it. */
    public static final ResourceDefinitionContext RESOURCE = new ResourceDefinitionContext.Builder()
            .withGroup("bastion.dev").withVersion("v1").withKind(KIND).withPlural("securitychains").withNamespaced(true)
            .build();

    private final Path directory;
    private final SharedIndexInformer<GenericKubernetesResource> informer;
    private final Yaml yaml;

    /** Starts watching; returns once the resources that exist are written. */
    public KubernetesChains(KubernetesClient client, Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        this.yaml = new Yaml(options);
        this.informer = client.genericKubernetesResources(RESOURCE).inAnyNamespace()
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource chain) {
                        write(chain);
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                        write(after);
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource chain, boolean finalStateUnknown) {
                        delete(chain);
                    }
                });
    }

    private void write(GenericKubernetesResource chain) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("apiVersion", API_VERSION);
        file.put("kind", KIND);
        file.put("name", chain.getMetadata().getName());
        Object spec = chain.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> fields) {
            fields.forEach((k, v) -> file.put(k.toString(), v));
        }
        Path target = fileOf(chain);
        try {
            Path partial = target.resolveSibling("." + target.getFileName() + ".part"); // not *.yaml: never read half-written
            Files.writeString(partial, "# SecurityChain " + chain.getMetadata().getNamespace() + "/"
                    + chain.getMetadata().getName() + " (resourceVersion " + chain.getMetadata().getResourceVersion()
                    + ")\n" + yaml.dump(file));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        log.info("SecurityChain {}/{} written to {}", chain.getMetadata().getNamespace(),
                chain.getMetadata().getName(), target);
    }

    private void delete(GenericKubernetesResource chain) {
        try {
            Files.deleteIfExists(fileOf(chain));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + fileOf(chain), e);
        }
    }

    private Path fileOf(GenericKubernetesResource chain) {
        return directory.resolve(chain.getMetadata().getNamespace() + "." + chain.getMetadata().getName() + ".yaml");
    }

    @Override
    public void close() {
        informer.close();
    }
}
