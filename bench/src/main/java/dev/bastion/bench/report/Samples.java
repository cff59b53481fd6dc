package dev.bastion.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Repeated measurements of one figure: median and spread, since these machines are noisy. */
public final class Samples {
    private final List<Double> values = new ArrayList<>();

    public void add(double value) {
        values.add(value);
    }

    public int count() {
        return values.size();
    }

    public double median() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The nearest-rank percentile {@code p} (0 < p <= 100). */
    public double percentile(double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    public double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** "median (min–max)" with the given number of decimals. */
    public String describe(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median(), min(), max());
    }

    /**
     * The ratio to a baseline measured alongside, round by round: the median of the per-round ratios with their
     * range. Pairing rounds cancels the slow drift of a shared machine's load, which min/max of both would add up.
     */
    public String ratioTo(Samples baseline) {
        if (baseline.count() != count()) {
            throw new IllegalArgumentException(count() + " samples against a baseline of " + baseline.count());
        }
        Samples ratios = new Samples();
        for (int i = 0; i < values.size(); i++) {
            ratios.add(values.get(i) / baseline.values.get(i));
        }
        return String.format(Locale.ROOT, "%.2fx (%.2f–%.2f)", ratios.median(), ratios.min(), ratios.max());
    }
}
