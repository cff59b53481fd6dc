package dev.bastion.agent.suricata;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Suricata instance as a child process and keeps it running: it writes and checks the
 * configuration, listens for EVE, launches Suricata, declares it {@link SuricataState#RUNNING} once the
 * engine has started and EVE is connected, and relaunches it with a doubling backoff whenever it exits or
 * does not start in time. Anything but RUNNING is down ({@link #isUp()} false): the chain's failure mode
 * applies to its traffic then.
 *
 * <p>Every state change happens on one thread of the supervisor's own, so the process, its generation and
 * the readiness flags need no locks.
 */
public final class SuricataSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SuricataSupervisor.class);

    /**
     * @param startTimeout how long a launched Suricata may take to start before it is killed and relaunched
     * @param stopTimeout  how long Suricata gets to stop after SIGTERM before SIGKILL
     * @param firstBackoff the wait before the first relaunch; it doubles with every relaunch up to maxBackoff
     * @param stableAfter  a Suricata that ran this long before exiting is relaunched after firstBackoff again
     */
    public record Timings(Duration startTimeout, Duration stopTimeout, Duration firstBackoff, Duration maxBackoff,
                          Duration stableAfter) {
        public static Timings defaults() {
            return new Timings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(1),
                    Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    private final SuricataConfig config;
    private final SuricataCommand command;
    private final EveListener events;
    private final Timings timings;
    private final ScheduledExecutorService thread;
    private final List<SuricataStateListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong restarts = new AtomicLong();
    private final Object stateChange = new Object();
    private volatile SuricataState state = SuricataState.STOPPED;
    private volatile Process process;
    private volatile EveStats lastStats;
    private EveReader reader;

    // Confined to the supervisor's thread.
    private long generation;
    private boolean engineStarted;
    private boolean eveConnected;
    private Instant runningSince;
    private Duration backoff;
    private boolean stopping;

    public SuricataSupervisor(SuricataConfig config, SuricataCommand command, EveListener events, Timings timings) {
        this.config = config;
        this.command = command;
        this.events = events;
        this.timings = timings;
        this.backoff = timings.firstBackoff();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "suricata-" + config.instance());
            t.setDaemon(true);
            return t;
        });
    }

    public SuricataConfig config() {
        return config;
    }

    /**
     * Writes and checks the configuration, listens on the EVE socket and launches Suricata; returns once it is
     * launched (normally {@link SuricataState#STARTING}: use {@link #awaitState} to wait for RUNNING).
     *
     * @throws SuricataException if Suricata rejects the configuration or a rule file (state FAILED; start may be
     *                           called again once the rules are fixed)
     */
    public void start() throws SuricataException, IOException {
        boolean rejectedBefore = state == SuricataState.FAILED && reader == null;
        if (state != SuricataState.STOPPED && !rejectedBefore || thread.isShutdown()) {
            throw new IllegalStateException("Suricata instance " + config.instance() + " cannot start: " + state
                    + (thread.isShutdown() ? " and closed" : ""));
        }
        try {
            config.write();
            command.check(config);
        } catch (SuricataException | IOException e) {
            setState(SuricataState.FAILED);
            throw e;
        }
        reader = new EveReader(config.eveSocket(), new Readiness());
        try {
            thread.submit(this::launch).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Suricata instance " + config.instance() + ": launch failed", e.getCause());
        }
    }

    public SuricataState state() {
        return state;
    }

    /** Whether Suricata is inspecting traffic now; when not, its chains apply their failure mode. */
    public boolean isUp() {
        return state == SuricataState.RUNNING;
    }

    /** How many times Suricata was relaunched after exiting or failing to start. */
    public long restarts() {
        return restarts.get();
    }

    /** The running Suricata's process id. */
    public OptionalLong pid() {
        Process p = process;
        return p == null ? OptionalLong.empty() : OptionalLong.of(p.pid());
    }

    /** Suricata's counters as of its last stats record, if one arrived. */
    public Optional<EveStats> lastStats() {
        return Optional.ofNullable(lastStats);
    }

    public void addListener(SuricataStateListener listener) {
        listeners.add(listener);
    }

    /** Waits until the state is {@code wanted}; false if the timeout passed first. */
    public boolean awaitState(SuricataState wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateChange) {
            while (state != wanted) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                stateChange.wait(left);
            }
            return true;
        }
    }

    private void launch() {
        if (stopping) {
            return;
        }
        generation++;
        engineStarted = false;
        eveConnected = false;
        setState(SuricataState.STARTING);
        long launched = generation;
        try {
            stopLeftover();
            Files.deleteIfExists(config.pidFile());
            Process p = new ProcessBuilder(command.run(config))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            process = p;
            log.info("suricata {}: launched, pid {}", config.instance(), p.pid());
            Runnable started = () -> onThread(() -> engineStarted(launched));
            SuricataConsole.follow(config.instance(), "out", p.getInputStream(), started);
            SuricataConsole.follow(config.instance(), "err", p.getErrorStream(), started);
            p.onExit().thenRun(() -> onThread(() -> exited(launched, p)));
            thread.schedule(() -> startTimedOut(launched), timings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            log.error("suricata {}: cannot launch {}: {}", config.instance(), command.binary(), e.getMessage());
            setState(SuricataState.FAILED);
        }
    }

    /**
     * A Suricata of an agent that died (kill -9) outlives it and still copies packets between the interfaces;
     * a second one would duplicate them. Its pid file names it; its arguments prove it serves this instance
     * (the pid may have been reused).
     */
    private void stopLeftover() throws IOException {
        if (!Files.exists(config.pidFile())) {
            return;
        }
        String pid = Files.readString(config.pidFile()).strip();
        Optional<ProcessHandle> leftover = pid.matches("\\d{1,10}") ? ProcessHandle.of(Long.parseLong(pid)) : Optional.empty();
        String configFile = config.configFile().toString();
        leftover.filter(h -> h.info().command().map(c -> c.endsWith("/suricata")).orElse(false)
                && h.info().arguments().map(a -> List.of(a).contains(configFile)).orElse(false)).ifPresent(h -> {
            log.warn("suricata {}: stopping pid {} left by a previous agent", config.instance(), h.pid());
            h.destroy();
            try {
                h.onExit().get(timings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                h.destroyForcibly();
            }
        });
    }

    private void engineStarted(long launched) {
        if (launched == generation) {
            engineStarted = true;
            becomeRunningWhenReady();
        }
    }

    private void becomeRunningWhenReady() {
        if (state == SuricataState.STARTING && engineStarted && eveConnected) {
            runningSince = Instant.now();
            setState(SuricataState.RUNNING);
        }
    }

    private void startTimedOut(long launched) {
        Process p = process;
        if (launched == generation && state == SuricataState.STARTING && p != null) {
            log.warn("suricata {}: not started after {} s (engine started: {}, EVE connected: {}); killing it",
                    config.instance(), timings.startTimeout().toSeconds(), engineStarted, eveConnected);
            p.destroyForcibly();
        }
    }

    private void exited(long launched, Process p) {
        if (launched != generation || stopping) {
            return;
        }
        process = null;
        boolean wasStable = runningSince != null
                && Duration.between(runningSince, Instant.now()).compareTo(timings.stableAfter()) >= 0;
        runningSince = null;
        if (wasStable) {
            backoff = timings.firstBackoff();
        }
        log.warn("suricata {}: exited with code {}; relaunching in {} ms", config.instance(), p.exitValue(), backoff.toMillis());
        restarts.incrementAndGet();
        setState(SuricataState.RESTARTING);
        thread.schedule(this::launch, backoff.toMillis(), TimeUnit.MILLISECONDS);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(timings.maxBackoff()) > 0 ? timings.maxBackoff() : doubled;
    }

    /** Runs {@code task} on the supervisor's thread; after close, there is nothing left to do. */
    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("suricata {}: closed, ignoring a late notification", config.instance());
        }
    }

    /** Tells the listeners before waking {@link #awaitState} waiters, so a waiter finds them up to date. */
    private void setState(SuricataState next) {
        SuricataState previous;
        synchronized (stateChange) {
            previous = state;
            if (previous == next) {
                return;
            }
            state = next;
        }
        log.info("suricata {}: {} -> {}", config.instance(), previous, next);
        for (SuricataStateListener l : listeners) {
            try {
                l.changed(previous, next);
            } catch (RuntimeException e) {
                log.error("suricata {}: state listener failed", config.instance(), e);
            }
        }
        synchronized (stateChange) {
            stateChange.notifyAll();
        }
    }

    /** Stops Suricata (SIGTERM, then SIGKILL after the stop timeout) and the EVE reader. */
    @Override
    public void close() throws IOException {
        Process p;
        try {
            p = thread.submit(() -> {
                stopping = true;
                return process;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p = process;
        } catch (ExecutionException | RejectedExecutionException e) {
            p = process;
        }
        thread.shutdownNow();
        if (p != null) {
            stopProcess(p);
        }
        process = null;
        if (reader != null) {
            reader.close();
        }
        Files.deleteIfExists(config.pidFile());
        if (state != SuricataState.FAILED) {
            setState(SuricataState.STOPPED);
        }
    }

    private void stopProcess(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(timings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("suricata {}: still running {} s after SIGTERM; killing it", config.instance(),
                        timings.stopTimeout().toSeconds());
                p.destroyForcibly().waitFor();
            }
            log.info("suricata {}: stopped (exit code {})", config.instance(), p.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** Forwards EVE to the caller's listener, keeps the last stats, and notes the connection that completes a start. */
    private final class Readiness implements EveListener {
        @Override
        public void event(EveEvent event) {
            if (event instanceof EveStats stats) {
                lastStats = stats;
            }
            events.event(event);
        }

        @Override
        public void connected() {
            onThread(() -> {
                eveConnected = true;
                becomeRunningWhenReady();
            });
            events.connected();
        }

        @Override
        public void disconnected() {
            events.disconnected();
        }
    }
}
