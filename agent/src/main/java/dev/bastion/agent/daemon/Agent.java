package dev.bastion.agent.daemon;

import dev.bastion.agent.api.ApiException;
import dev.bastion.agent.api.ApiRequest;
import dev.bastion.agent.api.ApiResponse;
import dev.bastion.agent.api.ApiServer;
import dev.bastion.agent.api.PartitionJson;
import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.events.AlertRecord;
import dev.bastion.agent.events.EventLog;
import dev.bastion.agent.events.EventPage;
import dev.bastion.agent.events.FlowRecord;
import dev.bastion.agent.metrics.MetricsRegistry;
import dev.bastion.policies.collect.Collector;
import dev.bastion.policies.dependency.ContainerChange;
import dev.bastion.policies.dependency.PartitionDiff;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: polls its inventory source, reconciles what it finds, and serves the API. A rejected inventory
 * leaves the last good one in force and is reported in the status and the log.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private static final int FLOW_LOG_CAPACITY = 65_536;
    private static final int ALERT_LOG_CAPACITY = 16_384;

    private final AgentConfig config;
    private final Collector source;
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final MetricsRegistry.Counter reconciles;
    private final Enforcer enforcer;
    private final Optional<ChainDirectory> chains;
    private final MetricsRegistry.Counter partitionChanges;
    private final AtomicReference<PolicyView> view = new AtomicReference<>();
    /** An inventory the enforcer could not apply yet: retried at every poll until it is, or a newer one arrives. */
    private Inventory pending;
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /** How long the last poll that put an inventory in force took; polls without a change leave it alone. */
    private final AtomicReference<Double> lastChangeSeconds = new AtomicReference<>(0.0);
    private final Instant started = Instant.now();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bastion-poll");
        t.setDaemon(true);
        return t;
    });
    private final EventLog<FlowRecord> flows = new EventLog<>(FLOW_LOG_CAPACITY);
    private final EventLog<AlertRecord> alerts = new EventLog<>(ALERT_LOG_CAPACITY);
    private ApiServer api;

    public Agent(AgentConfig config, Collector source, Enforcer enforcer) {
        this(config, source, enforcer, Optional.empty());
    }

    /** An agent that also follows a chains directory, reloaded when its files or the policy view change. */
    public Agent(AgentConfig config, Collector source, Enforcer enforcer, Optional<ChainDirectory> chains) {
        this.config = config;
        this.source = source;
        this.enforcer = enforcer;
        this.chains = chains;
        this.partitionChanges = metrics.counter("bastion_partition_changes_total",
                "Container partitions of this node added, changed or removed.", "kind");
        this.reconciles = metrics.counter("bastion_reconcile_total",
                "Polls by result: changed (an inventory put in force), unchanged, rejected or failed.", "result");
        metrics.collect("bastion_reconcile_duration_seconds", "gauge",
                "Duration of the last reconcile that put an inventory in force.", List.of(),
                () -> List.of(new MetricsRegistry.Sample(List.of(), lastChangeSeconds.get())));
        metrics.collect("bastion_containers", "gauge", "Containers in the inventory in force.", List.of(),
                () -> List.of(new MetricsRegistry.Sample(List.of(),
                        Optional.ofNullable(view.get()).map(v -> v.inventory().containers().size()).orElse(0))));
    }

    /** What /metrics serves; the agent's parts register their own metrics here. */
    public MetricsRegistry metrics() {
        return metrics;
    }

    /** Starts polling and the API; returns the API's bound address. */
    public InetSocketAddress start() throws IOException, InterruptedException {
        Optional<String> token = config.apiTokenFile().isPresent()
                ? Optional.of(Files.readString(config.apiTokenFile().get()).strip()) : Optional.empty();
        api = new ApiServer(token)
                .route("/api/v1/status", r -> ApiResponse.json(status()))
                .route("/api/v1/containers", r -> ApiResponse.json(containers()))
                .route("/api/v1/dependencies", r -> ApiResponse.json(dependencies(r)))
                .route("/api/v1/chains", r -> ApiResponse.json(chains()))
                .route("/api/v1/policy/report", r -> ApiResponse.json(PolicyReport.of(viewInForce(), flows)))
                .route("/api/v1/flows", r -> EventPage.serve(flows, r, flowFilter(r)))
                .route("/api/v1/alerts", r -> EventPage.serve(alerts, r, a -> true))
                .route("/metrics", r -> ApiResponse.text(metrics.scrape()));
        InetSocketAddress bound = api.start(config.apiAddress());
        Duration every = config.pollInterval();
        poller.scheduleWithFixedDelay(this::pollOnce, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        log.info("agent started on node {} (collector {}, datapath mode {}, polling every {})", config.node(),
                config.get(Setting.COLLECTOR), config.get(Setting.DATAPATH_MODE), every);
        if ("tc".equals(config.get(Setting.DATAPATH_MODE))) {
            // tc runs after the host's packet taps: see docs/security.md, host-network eavesdropping.
            log.warn("tc mode: a container sharing the node's network namespace can capture traffic between "
                    + "containers of this node; use datapath.mode=xdp where such containers are not trusted");
        }
        return bound;
    }

    /**
     * One poll: a changed inventory becomes a new policy view, and the difference of this node's partitions goes to
     * the enforcer. A rejected inventory is reported and ignored; one the enforcer fails on is retried.
     */
    synchronized void pollOnce() {
        long t0 = System.nanoTime();
        try {
            Optional<Inventory> polled = source.poll();
            polled.ifPresent(i -> pending = i);
            if (pending == null) {
                PolicyView inForce = view.get();
                if (inForce != null) {
                    enforcer.refresh(inForce);
                    chains.ifPresent(c -> c.reconcile(inForce));
                }
                reconciles.inc("unchanged");
                return;
            }
            PolicyView current = view.get();
            PolicyView next = current == null ? PolicyView.of(pending) : current.next(pending);
            List<ContainerChange> changes = PartitionDiff.between(
                    current == null ? Map.of() : current.partitions(), next.partitions()).stream()
                    .filter(this::onThisNode).toList();
            enforcer.apply(changes, next);
            changes.forEach(c -> partitionChanges.inc(c.kind().name().toLowerCase(Locale.ROOT)));
            view.set(next);
            pending = null;
            chains.ifPresent(c -> c.reconcile(next));
            lastError.set(null);
            reconciles.inc("changed");
            lastChangeSeconds.set((System.nanoTime() - t0) / 1e9);
            log.info("inventory {} in force: {} containers, {} partition changes on this node",
                    next.inventory().name(), next.inventory().containers().size(), changes.size());
        } catch (InvalidSourceException e) {
            reconciles.inc("rejected");
            lastError.set(e.getMessage());
            log.error("inventory rejected, keeping the one in force:\n{}", e.getMessage());
        } catch (Exception e) {
            reconciles.inc("failed");
            lastError.set(e.toString());
            log.error("reconcile failed, keeping the policy in force and retrying at the next poll: {}", e.toString());
        }
    }

    private boolean onThisNode(ContainerChange change) {
        return change.selfAfter().or(change::selfBefore).map(e -> e.node().equals(config.node())).orElse(false);
    }

    /** The policy view in force, null before the first inventory is applied. */
    public PolicyView view() {
        return view.get();
    }

    /** Where the datapath's flow events go, for the API and the policy assistant. */
    public EventLog<FlowRecord> flows() {
        return flows;
    }

    /** Where the chains' alerts go. */
    public EventLog<AlertRecord> alerts() {
        return alerts;
    }

    private static Predicate<FlowRecord> flowFilter(ApiRequest r) {
        boolean deniedOnly = r.param("denied").map(Boolean::parseBoolean).orElse(false);
        Optional<String> container = r.param("container");
        return f -> (!deniedOnly || !f.allowed())
                && container.map(c -> c.equals(f.srcContainer()) || c.equals(f.dstContainer())).orElse(true);
    }

    private Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", config.node());
        out.put("collector", config.get(Setting.COLLECTOR));
        out.put("datapathMode", config.get(Setting.DATAPATH_MODE));
        out.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        PolicyView current = view.get();
        out.put("inventory", current == null ? null : current.inventory().name());
        out.put("containers", current == null ? 0 : current.inventory().containers().size());
        out.put("lastError", lastError.get());
        out.put("chains", chains.map(c -> c.inForce().definitions().size()).orElse(0));
        out.put("chainsError", chains.flatMap(ChainDirectory::error).orElse(null));
        return out;
    }

    private List<Map<String, Object>> chains() {
        return chains.map(c -> c.inForce().definitions().stream().map(d -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", d.name());
            out.put("file", d.location());
            out.put("functions", d.functions().stream().map(f -> f.name()).toList());
            out.put("failureMode", d.failureMode().name().toLowerCase(Locale.ROOT));
            out.put("steeringEntries", c.inForce().steering().stream().filter(s -> s.chain().equals(d.name())).count());
            c.metrics(d.name()).ifPresent(m -> {
                out.put("packets", m.packets());
                out.put("flows", m.flows());
                out.put("alerts", m.alerts());
                out.put("failures", m.failures());
                Map<String, Long> verdicts = new LinkedHashMap<>();
                for (Verdict v : Verdict.values()) {
                    verdicts.put(v.name().toLowerCase(Locale.ROOT), m.verdicts().get(v));
                }
                out.put("verdicts", verdicts);
            });
            return out;
        }).toList()).orElse(List.of());
    }

    private List<Map<String, Object>> containers() {
        PolicyView current = view.get();
        if (current == null) {
            return List.of();
        }
        return current.inventory().containers().stream().map(this::describe).toList();
    }

    private PolicyView viewInForce() {
        PolicyView current = view.get();
        if (current == null) {
            throw new ApiException(503, "no inventory in force yet");
        }
        return current;
    }

    /** Each container's partition (or one container's, with ?container=NAME), as {@code bastion policy deps --json}. */
    private Object dependencies(ApiRequest r) {
        PolicyView current = viewInForce();
        Optional<String> name = r.param("container");
        List<Container> containers = current.inventory().containers().stream()
                .filter(c -> name.map(c.name()::equals).orElse(true)).toList();
        if (name.isPresent() && containers.isEmpty()) {
            throw new ApiException(404, "no container named '" + name.get() + "'");
        }
        return PartitionJson.of(containers, current.partitions());
    }

    private Map<String, Object> describe(Container c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        out.put("containerSet", c.containerSet());
        out.put("node", c.node());
        out.put("ip", c.ip().map(Object::toString).orElse(null));
        out.put("mac", c.mac().map(Object::toString).orElse(null));
        out.put("hostNetwork", c.hostNetwork());
        Optional<Integer> id = c.node().equals(config.node()) ? enforcer.protectedAs(c.name()) : Optional.empty();
        out.put("protected", id.isPresent());
        out.put("datapathId", id.orElse(null));
        return out;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        source.close();
        if (api != null) {
            api.close();
        }
        log.info("agent stopped");
    }
}
