package dev.bastion.bench.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** A PNG grouped bar chart: one group per figure, one bar per setup, with a reference line (1.0 = the baseline). */
public final class BarChart {
    private static final Color[] COLORS = {new Color(0x7f7f7f), new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf)};
    private static final int LEGEND_LINE = 18;
    private final String title;
    private final String yLabel;
    private final List<String> groups;
    private final Map<String, List<Double>> bars = new LinkedHashMap<>();

    public BarChart(String title, String yLabel, List<String> groups) {
        this.title = title;
        this.yLabel = yLabel;
        this.groups = groups;
    }

    /** One bar per group for {@code setup}, in the order of the groups. */
    public BarChart bars(String setup, List<Double> values) {
        bars.put(setup, values);
        return this;
    }

    public void write(Path png) throws IOException {
        int w = 800;
        int h = 500;
        int left = 70;
        int right = 20;
        int bottom = 60;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        List<Point> legend = legendPositions(g, left, w - right);
        int top = 80 + (legend.isEmpty() ? 0 : legend.get(legend.size() - 1).y - 56);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double yMax = Math.max(1.2, bars.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1) * 1.1);
        int plotH = h - top - bottom;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(yLabel, 10, top - 12);
        for (int i = 0; i <= 5; i++) {
            double y = yMax * i / 5;
            int py = h - bottom - (int) (plotH * i / 5.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, py, w - right, py);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.2f", y), 20, py + 4);
        }
        int groupW = (w - left - right) / Math.max(1, groups.size());
        int barW = (groupW - 30) / Math.max(1, bars.size());
        int k = 0;
        for (Map.Entry<String, List<Double>> setup : bars.entrySet()) {
            g.setColor(COLORS[k % COLORS.length]);
            for (int i = 0; i < groups.size() && i < setup.getValue().size(); i++) {
                double v = setup.getValue().get(i);
                int bh = (int) (plotH * v / yMax);
                int x = left + groupW * i + 15 + barW * k;
                g.fillRect(x, h - bottom - bh, barW - 4, bh);
                g.drawString(String.format(Locale.ROOT, "%.2f", v), x, h - bottom - bh - 4);
            }
            Point at = legend.get(k);
            g.fillRect(at.x, at.y - 8, 18, 8);
            g.setColor(Color.BLACK);
            g.drawString(setup.getKey(), at.x + 24, at.y);
            k++;
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, h - bottom, w - right, h - bottom);
        g.drawLine(left, top, left, h - bottom);
        int one = h - bottom - (int) (plotH / yMax);
        g.drawLine(left, one, w - right, one);
        for (int i = 0; i < groups.size(); i++) {
            g.drawString(groups.get(i), left + groupW * i + 15, h - bottom + 20);
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    /** Where each setup's legend entry starts (its text's baseline), wrapping onto new lines as needed. */
    private List<Point> legendPositions(Graphics2D g, int from, int to) {
        List<Point> out = new ArrayList<>();
        int x = from;
        int y = 56;
        for (String setup : bars.keySet()) {
            int width = 24 + g.getFontMetrics().stringWidth(setup) + 20;
            if (x > from && x + width > to) {
                x = from;
                y += LEGEND_LINE;
            }
            out.add(new Point(x, y));
            x += width;
        }
        return out;
    }
}
