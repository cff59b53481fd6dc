package dev.bastion.policies.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.policies.dependency.PortRanges;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.Ipv4Prefix;
import dev.bastion.policies.model.MacAddress;
import dev.bastion.policies.model.Microservice;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker engine as a collector, over its API on a Unix socket. Running containers become containers;
 * a compose project is a microservice and each of its services a container set (its containers' exposed ports
 * are the set's internal service ports, published ports the project's global ones); a container outside compose
 * is a set of its own. Explicit dependencies are the compose {@code depends_on} label and legacy links, both
 * as egress towards the named set. Containers are listed at every poll; each is inspected once (for its links).
 */
public final class DockerCollector implements Collector {
    private static final Logger LOG = LoggerFactory.getLogger(DockerCollector.class);
    static final String SET_LABEL = "bastion.io/container-set";
    static final String PROJECT_LABEL = "com.docker.compose.project";
    static final String SERVICE_LABEL = "com.docker.compose.service";
    static final String DEPENDS_ON_LABEL = "com.docker.compose.depends_on";

    private final UnixHttpClient http;
    private final String node;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<String>> linksById = new HashMap<>();
    private Inventory last;

    public DockerCollector(Path socket) {
        this(socket, "node1");
    }

    /** A collector naming its node as the rest of the inventory does. */
    public DockerCollector(Path socket, String node) {
        this.http = new UnixHttpClient(socket);
        this.node = node;
    }

    @Override
    public Optional<Inventory> poll() {
        try {
            Inventory inventory = collect();
            if (inventory.equals(last)) {
                return Optional.empty();
            }
            last = inventory;
            return Optional.of(inventory);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the Docker engine's containers, keeping the last inventory: {}", e.toString());
            return Optional.empty();
        }
    }

    private Inventory collect() throws IOException {
        JsonNode list = json.readTree(http.get("/containers/json"));
        Map<String, ContainerNetwork> networks = new TreeMap<>();
        Map<String, String> setOfName = new HashMap<>();
        Map<String, String> projectOfSet = new TreeMap<>();
        Map<String, List<PortSpec>> internal = new TreeMap<>();
        Map<String, List<PortSpec>> published = new TreeMap<>();
        List<Container> containers = new ArrayList<>();
        List<JsonNode> running = new ArrayList<>();
        list.forEach(running::add);
        running.sort((a, b) -> name(a).compareTo(name(b)));
        for (JsonNode c : running) {
            String name = name(c);
            JsonNode labels = c.path("Labels");
            String set = containerSet(name, labels);
            setOfName.put(name, set);
            Optional.ofNullable(labels.path(PROJECT_LABEL).textValue()).ifPresent(p -> projectOfSet.put(set, p));
            for (JsonNode port : c.path("Ports")) {
                PortSpec spec = new PortSpec(protocol(port.path("Type").asText("tcp")), port.path("PrivatePort").asInt(),
                        port.path("PrivatePort").asInt());
                internal.merge(set, List.of(spec), PortRanges::union);
                if (port.has("PublicPort")) {
                    published.merge(set, List.of(spec), PortRanges::union);
                }
            }
            Map<String, String> labelMap = new TreeMap<>();
            labels.fields().forEachRemaining(e -> labelMap.put(e.getKey(), e.getValue().asText()));
            if ("host".equals(c.path("HostConfig").path("NetworkMode").asText())) {
                containers.add(new Container(name, set, node, Optional.empty(), Optional.empty(), Optional.empty(), true, labelMap));
                continue;
            }
            attachment(c).ifPresentOrElse(a -> {
                networks.putIfAbsent(a.network().name(), a.network());
                containers.add(new Container(name, set, node, Optional.of(a.network().name()), Optional.of(a.ip()),
                        Optional.of(a.mac()), false, labelMap));
            }, () -> LOG.debug("container {} has no IPv4 address on any network; skipped", name));
        }
        PolicyBuilder policies = new PolicyBuilder();
        for (JsonNode c : running) {
            String set = setOfName.get(name(c));
            String project = projectOfSet.get(set);
            for (String service : dependsOn(c.path("Labels").path(DEPENDS_ON_LABEL).asText(""))) {
                policies.egress(set, project == null ? service : project + "-" + service, List.of(PortSpec.ANY));
            }
            for (String linked : links(c)) {
                Optional.ofNullable(setOfName.get(linked)).ifPresent(peer -> policies.egress(set, peer, List.of(PortSpec.ANY)));
            }
        }
        List<ContainerSet> sets = new ArrayList<>();
        new TreeSet<>(setOfName.values()).forEach(s -> sets.add(
                new ContainerSet(s, Optional.ofNullable(projectOfSet.get(s)), internal.getOrDefault(s, List.of()))));
        Map<String, List<PortSpec>> global = new TreeMap<>();
        projectOfSet.forEach((set, project) -> global.merge(project, published.getOrDefault(set, List.of()), PortRanges::union));
        List<Microservice> microservices = new ArrayList<>();
        global.forEach((project, ports) -> microservices.add(new Microservice(project, ports)));
        return new Inventory("docker", Optional.empty(), List.of(new HostNode(node, Optional.empty())),
                List.copyOf(networks.values()), containers, sets, microservices, policies.build(), List.of());
    }

    private static String name(JsonNode c) {
        String name = c.path("Names").path(0).asText(c.path("Id").asText());
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private static String containerSet(String name, JsonNode labels) {
        if (labels.hasNonNull(SET_LABEL)) {
            return labels.get(SET_LABEL).asText();
        }
        if (labels.hasNonNull(SERVICE_LABEL)) {
            String service = labels.get(SERVICE_LABEL).asText();
            return labels.hasNonNull(PROJECT_LABEL) ? labels.get(PROJECT_LABEL).asText() + "-" + service : service;
        }
        return name;
    }

    /** Compose writes {@code service:condition:restart} entries joined by commas; older versions just names. */
    static List<String> dependsOn(String label) {
        List<String> out = new ArrayList<>();
        for (String entry : label.split(",")) {
            String service = entry.split(":", 2)[0].trim();
            if (!service.isEmpty()) {
                out.add(service);
            }
        }
        return out;
    }

    /** Legacy links ({@code /target:/source/alias}) are only in the inspect document: fetched once per container. */
    private List<String> links(JsonNode c) throws IOException {
        String id = c.path("Id").asText();
        List<String> links = linksById.get(id);
        if (links == null) {
            links = new ArrayList<>();
            for (JsonNode link : json.readTree(http.get("/containers/" + id + "/json")).path("HostConfig").path("Links")) {
                String target = link.asText().split(":", 2)[0];
                links.add(target.startsWith("/") ? target.substring(1) : target);
            }
            linksById.put(id, links);
        }
        return links;
    }

    private record Attachment(ContainerNetwork network, Ipv4Address ip, MacAddress mac) {
    }

    /** The container's first network (by name) with an IPv4 address: the model gives a container one interface. */
    private Optional<Attachment> attachment(JsonNode c) {
        TreeMap<String, JsonNode> byName = new TreeMap<>();
        c.path("NetworkSettings").path("Networks").fields().forEachRemaining(e -> byName.put(e.getKey(), e.getValue()));
        for (var entry : byName.entrySet()) {
            JsonNode n = entry.getValue();
            String ip = n.path("IPAddress").asText("");
            if (ip.isEmpty()) {
                continue;
            }
            Ipv4Address address = Ipv4Address.parse(ip);
            Ipv4Prefix subnet = new Ipv4Prefix(address, n.path("IPPrefixLen").asInt(32));
            Ipv4Address gateway = n.path("Gateway").asText("").isEmpty() ? subnet.network() : Ipv4Address.parse(n.path("Gateway").asText());
            String mac = n.path("MacAddress").asText("");
            return Optional.of(new Attachment(new ContainerNetwork(entry.getKey(), node, subnet, gateway, Optional.empty()),
                    address, mac.isEmpty() ? MacAddress.dockerStyle(address) : MacAddress.parse(mac)));
        }
        return Optional.empty();
    }

    private static Protocol protocol(String type) {
        return "udp".equals(type) ? Protocol.UDP : Protocol.TCP;
    }
}
