package io.mast.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * {@code mast bench --report FILE.html}: one self-contained page (no script, no download) with the run's figures,
 * its throughput per second and its latency percentile distribution as SVG charts.
 */
public final class BenchReport {

    /** The figures of one second of a run, as its live line shows them. */
    public record Second(long second, long sent, long received, double p50, double p99, long errors, int connected) {
    }

    /** One point of the latency distribution: the share of messages at or below {@code millis}. */
    public record Point(double percentile, double millis) {
    }

    private static final int WIDTH = 880;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int BOTTOM = 40;
    private static final int TOP = 20;
    private static final int RIGHT = 20;

    private BenchReport() {
    }

    /** The percentile distribution of a histogram in microseconds, in milliseconds (up to 99.999 %). */
    public static List<Point> distribution(Histogram h) {
        List<Point> out = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return out;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            out.add(new Point(Math.min(p, 99.999), v.getValueIteratedTo() / 1000.0));
            if (p >= 99.999) {
                break;
            }
        }
        return out;
    }

    /** The page. */
    public static String html(BenchResult r, List<Second> timeline, List<Point> latency) {
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mast bench: ")
                .append(escape(r.scenario())).append("</title>\n<style>")
                .append("body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}")
                .append("table{border-collapse:collapse;margin:8px 0 24px}td,th{padding:3px 10px;text-align:right;")
                .append("border-bottom:1px solid #ddd}th{text-align:left}svg{background:#fafafa;border:1px solid #ddd}")
                .append(".axis{stroke:#888}.grid{stroke:#e4e4e4}.label{font-size:11px;fill:#555}")
                .append(".sent{stroke:#1f77b4;fill:none;stroke-width:2}.received{stroke:#ff7f0e;fill:none;stroke-width:2}")
                .append(".latency{stroke:#2ca02c;fill:none;stroke-width:2}.legend{font-size:12px}")
                .append("</style></head><body>\n<h1>mast bench: ").append(escape(r.scenario())).append("</h1>\n");
        sb.append("<table id=\"figures\">");
        row(sb, "messages sent", String.format(Locale.ROOT, "%,d (%,.0f/s)", r.sent(), r.sendRate()));
        row(sb, "messages received", String.format(Locale.ROOT, "%,d (%,.0f/s)", r.received(), r.receiveRate()));
        row(sb, "lost / duplicates / errors", r.lost() + " / " + r.duplicates() + " / " + r.errors());
        BenchResult.Latency l = r.latency();
        row(sb, "latency ms p50 / p90 / p99 / p99.9 / max", String.format(Locale.ROOT, "%.3f / %.3f / %.3f / %.3f / %.3f",
                l.p50(), l.p90(), l.p99(), l.p999(), l.max()));
        row(sb, "seconds", String.format(Locale.ROOT, "%.1f", r.seconds()));
        sb.append("</table>\n");

        sb.append("<h2>Throughput per second</h2>\n");
        List<double[]> sent = new ArrayList<>();
        List<double[]> received = new ArrayList<>();
        for (Second s : timeline) {
            sent.add(new double[] {s.second(), s.sent()});
            received.add(new double[] {s.second(), s.received()});
        }
        double maxRate = nice(Math.max(1, Math.max(max(sent), max(received))));
        double lastSecond = Math.max(1, timeline.isEmpty() ? 1 : timeline.getLast().second());
        sb.append(svgStart("throughput", "Messages per second over the run"));
        axes(sb, 0, lastSecond, false, 0, maxRate, "s", "msg/s");
        polyline(sb, "sent", sent, 0, lastSecond, false, maxRate);
        polyline(sb, "received", received, 0, lastSecond, false, maxRate);
        legend(sb, List.of("sent", "received"));
        sb.append("</svg>\n");

        sb.append("<h2>Latency percentile distribution</h2>\n");
        List<double[]> dist = new ArrayList<>();
        for (Point p : latency) {
            dist.add(new double[] {nines(p.percentile()), p.millis()});
        }
        double maxMs = nice(Math.max(0.001, max(dist)));
        sb.append(svgStart("latency", "End-to-end latency by percentile"));
        axes(sb, 0, nines(99.999), true, 0, maxMs, "percentile", "ms");
        polyline(sb, "latency", dist, 0, nines(99.999), true, maxMs);
        legend(sb, List.of("latency"));
        sb.append("</svg>\n</body></html>\n");
        return sb.toString();
    }

    /** The x position of a percentile on a scale of nines: 0 for 0 %, 1 for 90 %, 2 for 99 %, 3 for 99.9 % ... */
    static double nines(double percentile) {
        return Math.log10(100.0 / Math.max(1e-9, 100.0 - Math.min(percentile, 99.9999)));
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>");
    }

    private static String svgStart(String id, String title) {
        return "<svg id=\"" + id + "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + HEIGHT
                + "\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" role=\"img\"><title>" + escape(title) + "</title>\n";
    }

    private static double x(double v, double min, double max) {
        return LEFT + (v - min) / (max - min) * (WIDTH - LEFT - RIGHT);
    }

    private static double y(double v, double max) {
        return HEIGHT - BOTTOM - v / max * (HEIGHT - BOTTOM - TOP);
    }

    private static void axes(StringBuilder sb, double xMin, double xMax, boolean percentiles, double yMin, double yMax,
                             String xUnit, String yUnit) {
        for (int i = 0; i <= 4; i++) {
            double v = yMin + (yMax - yMin) * i / 4;
            double y = y(v, yMax);
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                    LEFT, y, WIDTH - RIGHT, y));
            sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT - 6, y + 4, number(v)));
        }
        if (percentiles) {
            String[] names = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
            for (int i = 0; i < names.length && i <= xMax + 1e-9; i++) {
                tick(sb, x(i, xMin, xMax), names[i]);
            }
        } else {
            int step = (int) Math.max(1, Math.ceil(xMax / 10));
            for (int s = 0; s <= xMax; s += step) {
                tick(sb, x(s, xMin, xMax), Integer.toString(s));
            }
        }
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                WIDTH - RIGHT, HEIGHT - 4, escape(xUnit)));
        sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\">%s</text>\n", 4, TOP - 6,
                escape(yUnit)));
    }

    private static void tick(StringBuilder sb, double x, String label) {
        sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, TOP,
                x, HEIGHT - BOTTOM));
        sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                x, HEIGHT - BOTTOM + 16, escape(label)));
    }

    private static void polyline(StringBuilder sb, String cssClass, List<double[]> points, double xMin, double xMax,
                                 boolean steps, double yMax) {
        if (points.isEmpty()) {
            return;
        }
        sb.append("<polyline class=\"").append(cssClass).append("\" points=\"");
        double[] previous = null;
        for (double[] p : points) {
            if (steps && previous != null) {
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0], xMin, xMax), y(previous[1], yMax)));
            }
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0], xMin, xMax), y(p[1], yMax)));
            previous = p;
        }
        sb.setLength(sb.length() - 1);
        sb.append("\"/>\n");
    }

    private static void legend(StringBuilder sb, List<String> names) {
        int x = LEFT + 12;
        for (String n : names) {
            sb.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", n, x,
                    TOP + 10, x + 20, TOP + 10));
            sb.append(String.format(Locale.ROOT, "<text class=\"legend\" x=\"%d\" y=\"%d\">%s</text>", x + 26, TOP + 14,
                    n));
            x += 110;
        }
        sb.append('\n');
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten at or above {@code v}: the top of an axis. */
    static double nice(double v) {
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= v * 0.999_999) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static double max(List<double[]> points) {
        double m = 0;
        for (double[] p : points) {
            m = Math.max(m, p[1]);
        }
        return m;
    }

    private static String number(double v) {
        if (v == 0) {
            return "0";
        }
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
