package dev.bastion.agent.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The agent's metrics in the Prometheus text exposition format (version 0.0.4). Counters are kept here;
 * values that live elsewhere (kernel counters, ring fill levels) are read at scrape time through collectors.
 */
public final class MetricsRegistry {

    /** One value of a family: label values in the family's label order. */
    public record Sample(List<String> labelValues, double value) {
    }

    private record Family(String name, String type, String help, List<String> labels, Supplier<Collection<Sample>> samples) {
    }

    private final List<Family> families = new CopyOnWriteArrayList<>();

    /** A counter family with the given label names; increment it with {@link Counter#inc}. */
    public Counter counter(String name, String help, String... labelNames) {
        Counter counter = new Counter(labelNames.length);
        register(new Family(name, "counter", help, List.of(labelNames), counter::samples));
        return counter;
    }

    /** A family whose samples are read from {@code samples} at every scrape. */
    public void collect(String name, String type, String help, List<String> labelNames, Supplier<Collection<Sample>> samples) {
        register(new Family(name, type, help, List.copyOf(labelNames), samples));
    }

    private void register(Family family) {
        if (!family.name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a metric name: " + family.name);
        }
        if (families.stream().anyMatch(f -> f.name.equals(family.name))) {
            throw new IllegalArgumentException("metric registered twice: " + family.name);
        }
        families.add(family);
    }

    /** The exposition text of every family. */
    public String scrape() {
        StringBuilder out = new StringBuilder();
        for (Family f : families) {
            out.append("# HELP ").append(f.name).append(' ').append(f.help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
            for (Sample s : f.samples.get()) {
                out.append(f.name);
                if (!f.labels.isEmpty()) {
                    out.append('{');
                    for (int i = 0; i < f.labels.size(); i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        out.append(f.labels.get(i)).append("=\"").append(escape(s.labelValues().get(i))).append('"');
                    }
                    out.append('}');
                }
                out.append(' ').append(format(s.value())).append('\n');
            }
        }
        return out.toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** A monotonically increasing count per label tuple. */
    public static final class Counter {
        private final int arity;
        private final Map<List<String>, LongAdder> values = new ConcurrentHashMap<>();

        private Counter(int arity) {
            this.arity = arity;
        }

        public void inc(String... labelValues) {
            add(1, labelValues);
        }

        public void add(long n, String... labelValues) {
            if (labelValues.length != arity) {
                throw new IllegalArgumentException("expected " + arity + " label values, got " + labelValues.length);
            }
            values.computeIfAbsent(List.of(labelValues), k -> new LongAdder()).add(n);
        }

        public long get(String... labelValues) {
            LongAdder a = values.get(List.of(labelValues));
            return a == null ? 0 : a.sum();
        }

        private Collection<Sample> samples() {
            List<Sample> out = new ArrayList<>();
            values.forEach((k, v) -> out.add(new Sample(k, v.sum())));
            return out;
        }
    }
}
