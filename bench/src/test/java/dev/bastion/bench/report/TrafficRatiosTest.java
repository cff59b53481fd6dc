package dev.bastion.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.bench.experiment.TrafficMeasurement.Figures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficRatiosTest {
    @TempDir
    Path dir;

    private static Samples of(double... values) {
        Samples s = new Samples();
        for (double v : values) {
            s.add(v);
        }
        return s;
    }

    private static Figures figures(Samples gbps, Samples tcp, Samples udp) {
        return new Figures(gbps, tcp, udp, new Samples());
    }

    private static Map<String, Figures> measured() {
        Map<String, Figures> f = new LinkedHashMap<>();
        f.put("bridge", figures(of(10, 20), of(40, 50), of(30, 30)));
        f.put("bastion-tc", figures(of(12, 20), of(30, 50), of(33, 36)));
        return f;
    }

    @Test
    void eachSetupRowPairsItsRoundsWithTheBaselines() {
        List<String> lines = new TrafficRatios(measured(), "bridge").table().toString().lines().toList();
        assertEquals("| setup | TCP Gbit/s | vs bridge | TCP RTT µs | vs bridge | UDP RTT µs | vs bridge |", lines.get(0));
        assertEquals("| bridge | 15.00 (10.00–20.00) | 1.00x (1.00–1.00) | 45.0 (40.0–50.0) | 1.00x (1.00–1.00) "
                + "| 30.0 (30.0–30.0) | 1.00x (1.00–1.00) |", lines.get(2));
        assertEquals("| bastion-tc | 16.00 (12.00–20.00) | 1.10x (1.00–1.20) | 40.0 (30.0–50.0) | 0.88x (0.75–1.00) "
                + "| 34.5 (33.0–36.0) | 1.15x (1.10–1.20) |", lines.get(3));
    }

    @Test
    void aBaselineThatWasNotMeasuredIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TrafficRatios(measured(), "iptables-0"));
        assertTrue(e.getMessage().contains("iptables-0"), e.getMessage());
    }

    @Test
    void theChartIsWrittenAsPng() throws Exception {
        Path png = dir.resolve("ratios.png");
        new TrafficRatios(measured(), "bridge").chart("test").write(png);
        byte[] bytes = Files.readAllBytes(png);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals("PNG", new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void ratioIsOfTheMedians() {
        assertEquals(16.0 / 15.0, TrafficRatios.ratio(of(12, 20), of(10, 20)), 1e-12);
    }
}
