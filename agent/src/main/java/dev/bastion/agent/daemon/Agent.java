package dev.bastion.agent.daemon;

import dev.bastion.agent.api.ApiRequest;
import dev.bastion.agent.api.ApiResponse;
import dev.bastion.agent.api.ApiServer;
import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.events.AlertRecord;
import dev.bastion.agent.events.EventLog;
import dev.bastion.agent.events.EventPage;
import dev.bastion.agent.events.FlowRecord;
import dev.bastion.agent.metrics.MetricsRegistry;
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
    private final InventorySource source;
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final MetricsRegistry.Counter reconciles;
    private final AtomicReference<Inventory> inventory = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Double> lastReconcileSeconds = new AtomicReference<>(0.0);
    private final Instant started = Instant.now();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bastion-poll");
        t.setDaemon(true);
        return t;
    });
    private final EventLog<FlowRecord> flows = new EventLog<>(FLOW_LOG_CAPACITY);
    private final EventLog<AlertRecord> alerts = new EventLog<>(ALERT_LOG_CAPACITY);
    private ApiServer api;

    public Agent(AgentConfig config, InventorySource source) {
        this.config = config;
        this.source = source;
        this.reconciles = metrics.counter("bastion_reconcile_total", "Reconcile attempts by result.", "result");
        metrics.collect("bastion_reconcile_duration_seconds", "gauge", "Duration of the last reconcile.", List.of(),
                () -> List.of(new MetricsRegistry.Sample(List.of(), lastReconcileSeconds.get())));
        metrics.collect("bastion_containers", "gauge", "Containers in the inventory in force.", List.of(),
                () -> List.of(new MetricsRegistry.Sample(List.of(),
                        Optional.ofNullable(inventory.get()).map(i -> i.containers().size()).orElse(0))));
    }

    /** Starts polling and the API; returns the API's bound address. */
    public InetSocketAddress start() throws IOException, InterruptedException {
        Optional<String> token = config.apiTokenFile().isPresent()
                ? Optional.of(Files.readString(config.apiTokenFile().get()).strip()) : Optional.empty();
        api = new ApiServer(token)
                .route("/api/v1/status", r -> ApiResponse.json(status()))
                .route("/api/v1/containers", r -> ApiResponse.json(containers()))
                .route("/api/v1/flows", r -> EventPage.serve(flows, r, flowFilter(r)))
                .route("/api/v1/alerts", r -> EventPage.serve(alerts, r, a -> true))
                .route("/metrics", r -> ApiResponse.text(metrics.scrape()));
        InetSocketAddress bound = api.start(config.apiAddress());
        Duration every = config.pollInterval();
        poller.scheduleWithFixedDelay(this::pollOnce, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        log.info("agent started on node {} (collector {}, datapath mode {}, polling every {})", config.node(),
                config.get(Setting.COLLECTOR), config.get(Setting.DATAPATH_MODE), every);
        return bound;
    }

    /** One poll: a changed inventory replaces the one in force; a rejected one is reported and ignored. */
    synchronized void pollOnce() {
        long t0 = System.nanoTime();
        try {
            Optional<Inventory> next = source.poll();
            if (next.isEmpty()) {
                return;
            }
            inventory.set(next.get());
            lastError.set(null);
            reconciles.inc("ok");
            log.info("inventory {} in force: {} containers", next.get().name(), next.get().containers().size());
        } catch (InvalidSourceException e) {
            reconciles.inc("rejected");
            lastError.set(e.getMessage());
            log.error("inventory rejected, keeping the one in force:\n{}", e.getMessage());
        } catch (Exception e) {
            reconciles.inc("failed");
            lastError.set(e.toString());
            log.error("poll failed, keeping the inventory in force: {}", e.toString());
        } finally {
            lastReconcileSeconds.set((System.nanoTime() - t0) / 1e9);
        }
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
        Inventory current = inventory.get();
        out.put("inventory", current == null ? null : current.name());
        out.put("containers", current == null ? 0 : current.containers().size());
        out.put("lastError", lastError.get());
        return out;
    }

    private List<Map<String, Object>> containers() {
        Inventory current = inventory.get();
        if (current == null) {
            return List.of();
        }
        return current.containers().stream().map(Agent::describe).toList();
    }

    private static Map<String, Object> describe(Container c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        out.put("containerSet", c.containerSet());
        out.put("node", c.node());
        out.put("ip", c.ip().map(Object::toString).orElse(null));
        out.put("mac", c.mac().map(Object::toString).orElse(null));
        out.put("hostNetwork", c.hostNetwork());
        return out;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        if (api != null) {
            api.close();
        }
        log.info("agent stopped");
    }
}
