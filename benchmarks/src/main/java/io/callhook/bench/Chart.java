package io.callhook.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A small PNG of the end-to-end benchmark: delivered webhooks over time, and latency percentiles. */
final class Chart {

    /** A latency bar: label and milliseconds. */
    record Bar(String label, double millis) {
    }

    private Chart() {
    }

    static void write(Path file, List<double[]> deliveredOverTime, List<Bar> latency, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 1200;
        int height = 520;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 30, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        line(g, deliveredOverTime, 30, 60, 560, 420);
        bars(g, latency, 640, 60, 530, 420);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void line(Graphics2D g, List<double[]> points, int x, int y, int w, int h) {
        g.setColor(Color.DARK_GRAY);
        g.drawString("Webhooks delivered at full load (cumulative)", x, y - 8);
        g.drawRect(x, y, w, h);
        double maxX = points.stream().mapToDouble(p -> p[0]).max().orElse(1);
        double maxY = points.stream().mapToDouble(p -> p[1]).max().orElse(1);
        g.setColor(new Color(33, 113, 181));
        g.setStroke(new BasicStroke(2f));
        int[] previous = null;
        for (double[] point : points) {
            int px = x + (int) (point[0] / maxX * w);
            int py = y + h - (int) (point[1] / maxY * h);
            if (previous != null) {
                g.drawLine(previous[0], previous[1], px, py);
            }
            previous = new int[] {px, py};
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("0 s", x, y + h + 16);
        g.drawString(String.format("%.1f s", maxX), x + w - 40, y + h + 16);
        g.drawString(String.format("%,.0f", maxY), x + 4, y + 16);
    }

    private static void bars(Graphics2D g, List<Bar> bars, int x, int y, int w, int h) {
        g.setColor(Color.DARK_GRAY);
        g.drawString("End-to-end latency, call event published to webhook received (ms)", x, y - 8);
        g.drawRect(x, y, w, h);
        double max = bars.stream().mapToDouble(Bar::millis).max().orElse(1);
        int slot = w / Math.max(1, bars.size());
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int barHeight = (int) (bar.millis() / max * (h - 40));
            int bx = x + i * slot + slot / 5;
            g.setColor(i % 2 == 0 ? new Color(49, 163, 84) : new Color(230, 85, 13));
            g.fillRect(bx, y + h - barHeight, slot * 3 / 5, barHeight);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%,.0f", bar.millis()), bx, y + h - barHeight - 4);
            g.drawString(bar.label(), bx - 6, y + h + 16);
        }
    }
}
