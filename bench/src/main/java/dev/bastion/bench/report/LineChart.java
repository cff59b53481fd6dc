package dev.bastion.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** A PNG line chart of a few series over shared x values (the paper's figures are of this kind). */
public final class LineChart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Double> xs;
    private final Map<String, List<Double>> series = new LinkedHashMap<>();

    public LineChart(String title, String xLabel, String yLabel, List<Double> xs) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.xs = xs;
    }

    public LineChart series(String name, List<Double> ys) {
        series.put(name, ys);
        return this;
    }

    public void write(Path png) throws IOException {
        int w = 800;
        int h = 500;
        int left = 80;
        int right = 30;
        int top = 80;
        int bottom = 70;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double xMax = xs.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double yMax = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1) * 1.1;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawLine(left, h - bottom, w - right, h - bottom);
        g.drawLine(left, top, left, h - bottom);
        for (int i = 0; i <= 5; i++) {
            double y = yMax * i / 5;
            int py = h - bottom - (int) ((h - top - bottom) * i / 5.0);
            g.drawString(String.format("%.1f", y), 20, py + 4);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, py, w - right, py);
            g.setColor(Color.BLACK);
        }
        for (double x : xs) {
            int px = left + (int) ((w - left - right) * (xMax == 0 ? 0 : x / xMax));
            g.drawString(String.format("%.0f", x), px - 8, h - bottom + 18);
        }
        g.drawString(xLabel, w / 2 - 60, h - 25);
        g.drawString(yLabel, 10, top - 12);
        int k = 0;
        for (Map.Entry<String, List<Double>> s : series.entrySet()) {
            g.setColor(COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(2.5f));
            int prevX = -1;
            int prevY = -1;
            for (int i = 0; i < xs.size() && i < s.getValue().size(); i++) {
                int px = left + (int) ((w - left - right) * (xMax == 0 ? 0 : xs.get(i) / xMax));
                int py = h - bottom - (int) ((h - top - bottom) * s.getValue().get(i) / yMax);
                g.fillOval(px - 4, py - 4, 8, 8);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                prevX = px;
                prevY = py;
            }
            g.fillRect(left + 160 * k, 48, 18, 4);
            g.drawString(s.getKey(), left + 24 + 160 * k, 54);
            k++;
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }
}
