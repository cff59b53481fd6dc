package dev.bastion.agent.attack;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabException;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.LabStatus;
import dev.bastion.agent.lab.Shell;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.Microservice;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The attacker's and the observer's hands inside a running lab: commands in a container's namespaces, background
 * listeners, sessions and captures, ARP tables. Everything it starts ends when it is closed.
 */
public final class AttackLab implements AutoCloseable {
    /** The Debian interpreter: it has python3-scapy (a python3 first on PATH may be another one). */
    private static final String PYTHON = "/usr/bin/python3";

    private final Lab lab;
    private final Shell shell;
    private final Cast cast;
    private final Path workDir;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final AtomicInteger files = new AtomicInteger();

    private AttackLab(Lab lab, Shell shell, Cast cast, Path workDir) {
        this.lab = lab;
        this.shell = shell;
        this.cast = cast;
        this.workDir = workDir;
    }

    /** Opens a lab that is up; fails if it is not, or if its inventory does not cast the suite's roles. */
    public static AttackLab open(Lab lab, Shell shell) {
        LabStatus status = lab.status();
        if (status.state() != LabStatus.State.UP) {
            throw new LabException("lab " + status.lab() + " is " + status.state().name().toLowerCase() + ", not up");
        }
        Cast cast = Cast.of(lab.inventory());
        try {
            return new AttackLab(lab, shell, cast, Files.createTempDirectory("bastion-attack-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Cast cast() {
        return cast;
    }

    public LabNames names() {
        return lab.names();
    }

    /** Runs {@code argv} in {@code c}'s namespaces; its output; fails if it exits non-zero. */
    String run(Container c, List<String> argv) {
        return shell.run(lab.inContainer(c, argv));
    }

    boolean succeeds(Container c, List<String> argv) {
        return shell.succeeds(lab.inContainer(c, argv));
    }

    /** Runs {@code script} (a shell script; its arguments are {@code args}) in {@code c}, whatever its exit code. */
    String sh(Container c, String script, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script + "\nexit 0", "sh"));
        argv.addAll(args);
        return run(c, argv);
    }

    /** Runs one of the suite's Python scripts in {@code c} and waits for it. */
    String python(Container c, String script, String... args) {
        return run(c, pythonArgv(script, args));
    }

    Background pythonInBackground(Container c, String script, String... args) {
        return keep(Background.start(script, lab.inContainer(c, pythonArgv(script, args))));
    }

    /** A line service on {@code port} in {@code c}, answering as {@code c}. */
    Listener listen(Container c, int port) {
        return new Listener(listenerProcess(c, port));
    }

    private Background listenerProcess(Container c, int port) {
        return keep(Background.start("listener.py in " + c.name(), lab.inContainer(c,
                pythonArgv("listener.py", Integer.toString(port), c.name()))));
    }

    /** A line service on {@code port} run by the node itself (a host service), answering as "node". */
    Listener listenOnNode(String node, int port) {
        return keep(new Listener(Background.start("listener.py on " + node, lab.onNode(node,
                pythonArgv("listener.py", Integer.toString(port), "node")))));
    }

    /** One request from {@code c} to a line service; the answer, or empty if it got none. */
    Optional<String> request(Container c, String host, int port, String line) {
        String answer = python(c, "request.py", host, Integer.toString(port), line).strip();
        return answer.startsWith("failed:") || answer.isEmpty() ? Optional.empty() : Optional.of(answer);
    }

    /** A long-lived TCP session from {@code client} to {@code host:port}. */
    Session session(Container client, String host, int port) {
        return keep(new Session(Background.start("session.py in " + client.name(),
                lab.inContainer(client, pythonArgv("session.py", host, Integer.toString(port))))));
    }

    /** Captures on {@code iface} in {@code c}'s namespaces (a host-network container sees the node's interfaces). */
    Capture capture(Container c, String iface, String filter) {
        return keep(Capture.start(lab.inContainer(c, List.of()), iface, filter, nextFile("pcap"), shell));
    }

    Capture capture(Container c, String filter) {
        return capture(c, LabNames.containerInterface(), filter);
    }

    /** The MAC that {@code c}'s ARP table holds for {@code ip}, if it holds one. */
    Optional<String> arpEntry(Container c, String ip) {
        String line = run(c, List.of("ip", "neigh", "show", ip, "dev", LabNames.containerInterface()));
        String[] words = line.strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("lladdr")) {
                return Optional.of(words[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code from} gets an ICMP echo reply from {@code ip}: also how a container fills its ARP table. */
    boolean ping(Container from, String ip) {
        return succeeds(from, List.of("ping", "-c", "1", "-W", "1", "-q", ip));
    }

    /** Forgets what attacks taught the containers' ARP tables, so that every attack starts from a clean state. */
    void restoreNeighbours() {
        for (Container c : lab.inventory().containers()) {
            if (!c.hostNetwork()) {
                run(c, List.of("ip", "neigh", "flush", "dev", LabNames.containerInterface()));
            }
        }
    }

    /**
     * Starts the services the inventory declares (every single TCP port of a container set or its microservice), as
     * listeners in each container, so that sweeps and lateral movement have something real to find.
     */
    AutoCloseable startServices() {
        List<Background> started = new ArrayList<>();
        for (Container c : lab.inventory().containers()) {
            if (!c.hostNetwork()) {
                for (int port : servedPorts(c)) {
                    started.add(listenerProcess(c, port));
                }
            }
        }
        // Started all at once, then waited for: the interpreters start in parallel.
        List<Listener> listeners = started.stream().map(Listener::new).toList();
        return () -> listeners.forEach(Listener::close);
    }

    /** The single TCP ports the inventory says {@code c} serves. */
    List<Integer> servedPorts(Container c) {
        Optional<ContainerSet> set = lab.inventory().containerSets().stream().filter(s -> s.name().equals(c.containerSet())).findFirst();
        Stream<PortSpec> internal = set.stream().flatMap(s -> s.internalPorts().stream());
        Stream<PortSpec> global = set.flatMap(ContainerSet::microservice).stream()
                .flatMap(m -> lab.inventory().microservices().stream().filter(ms -> ms.name().equals(m)))
                .map(Microservice::globalPorts).flatMap(List::stream);
        return Stream.concat(internal, global).filter(p -> p.protocol() == Protocol.TCP && p.from() == p.to() && p.from() > 0)
                .map(PortSpec::from).collect(java.util.stream.Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    /** Every port the inventory's containers serve, for sweeps. */
    List<Integer> allServedPorts() {
        return lab.inventory().containers().stream().filter(c -> !c.hostNetwork()).flatMap(c -> servedPorts(c).stream())
                .distinct().sorted(Comparator.naturalOrder()).toList();
    }

    /** The containers of the inventory by IP address, to name what a scan found. */
    Map<String, Container> containersByIp() {
        Map<String, Container> out = new LinkedHashMap<>();
        lab.inventory().containers().stream().filter(c -> c.ip().isPresent()).forEach(c -> out.put(Cast.ip(c), c));
        return out;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // Ending one process must not keep the others running.
            }
        }
        started.clear();
        try (Stream<Path> left = Files.list(workDir)) {
            for (Path p : left.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T extends AutoCloseable> T keep(T thing) {
        started.add(thing);
        return thing;
    }

    private Path nextFile(String suffix) {
        return workDir.resolve(files.incrementAndGet() + "." + suffix);
    }

    private static List<String> pythonArgv(String script, String... args) {
        List<String> argv = new ArrayList<>(List.of(PYTHON, "-c", script(script)));
        argv.addAll(List.of(args));
        return argv;
    }

    private static String script(String name) {
        try (InputStream in = AttackLab.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("script " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
