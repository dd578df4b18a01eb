package org.parley.moderation;

import java.util.List;
import java.util.Locale;

/**
 * Small server-side SVG charts for the console: bars for counts, lines for durations. No script and no external
 * file, so they work without JavaScript and under the page's CSP (which refuses inline styles: colours come from
 * classes in parley.css, which follow dark mode). Each chart is an {@code img} with a title and a description for
 * screen readers, labelled axes, and the page carries the same numbers as a table.
 *
 * <p>Everything written into the SVG from outside (titles, labels) is escaped here: the result goes to the page
 * unescaped ({@code th:utext}).
 */
final class SvgChart {
    static final int WIDTH = 640;
    static final int HEIGHT = 240;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 58;

    /** A named line; null values are gaps. {@code css} is its class beside "line" (e.g. "second"). */
    record Series(String name, List<Double> values, String css) {
    }

    private SvgChart() {
    }

    /** The axes' titles, in the page's language: the days' axis and the values' (a unit or what is counted). */
    record Axes(String x, String y) {
    }

    static String bars(String id, String title, String desc, Axes axes, List<String> xLabels, List<Double> values) {
        double max = niceMax(values.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).max().orElse(0));
        StringBuilder svg = open(id, title, desc);
        axes(svg, axes, xLabels, max);
        double step = plotWidth() / (double) values.size();
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null || v <= 0) {
                continue;
            }
            double h = v / max * plotHeight();
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                            + "<title>%s: %s</title></rect>",
                    LEFT + i * step + step * 0.15, TOP + plotHeight() - h, step * 0.7, h,
                    escape(xLabels.get(i)), number(v)));
        }
        return svg.append("</svg>").toString();
    }

    static String lines(String id, String title, String desc, Axes axes, List<String> xLabels, List<Series> series) {
        double max = niceMax(series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).max().orElse(0));
        StringBuilder svg = open(id, title, desc);
        axes(svg, axes, xLabels, max);
        double step = plotWidth() / (double) xLabels.size();
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.values().size(); i++) {
                Double v = s.values().get(i);
                if (v == null) {
                    pen = false; // a gap: no data that day
                    continue;
                }
                double x = LEFT + i * step + step / 2;
                double y = TOP + plotHeight() - v / max * plotHeight();
                path.append(String.format(Locale.ROOT, "%s%.1f %.1f ", pen ? "L" : "M", x, y));
                svg.append(String.format(Locale.ROOT, "<circle class=\"line %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\">"
                        + "<title>%s, %s: %s</title></circle>", escape(s.css()), x, y, escape(s.name()),
                        escape(xLabels.get(i)), number(v)));
                pen = true;
            }
            if (!path.isEmpty()) {
                svg.append("<path class=\"line ").append(escape(s.css())).append("\" d=\"").append(path.toString().strip())
                        .append("\"/>");
            }
        }
        // the legend, under the x axis title
        double x = LEFT;
        for (Series s : series) {
            svg.append(String.format(Locale.ROOT, "<line class=\"line %s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                    + "<text x=\"%.1f\" y=\"%d\">%s</text>", escape(s.css()), x, HEIGHT - 10, x + 18, HEIGHT - 10,
                    x + 22, HEIGHT - 6, escape(s.name())));
            x += 30 + s.name().length() * 6.5;
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String id, String title, String desc) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" aria-labelledby=\"").append(escape(id)).append("-title ")
                .append(escape(id)).append("-desc\">")
                .append("<title id=\"").append(escape(id)).append("-title\">").append(escape(title)).append("</title>")
                .append("<desc id=\"").append(escape(id)).append("-desc\">").append(escape(desc)).append("</desc>");
        return svg;
    }

    /** Grid lines at 0, half and the top with their values; first, middle and last day under the x axis. */
    private static void axes(StringBuilder svg, Axes axes, List<String> xLabels, double max) {
        for (double f : new double[]{0, 0.5, 1}) {
            double y = TOP + plotHeight() - f * plotHeight();
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT, y, WIDTH - RIGHT, y, LEFT - 4, y + 4, number(f * max)));
        }
        double step = plotWidth() / (double) xLabels.size();
        int n = xLabels.size();
        for (int i : new int[]{0, n / 2, n - 1}) {
            if (i < 0 || i >= n) {
                continue;
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    LEFT + i * step + step / 2, TOP + plotHeight() + 14, escape(xLabels.get(i))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                LEFT + plotWidth() / 2, TOP + plotHeight() + 28, escape(axes.x())));
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>",
                TOP + plotHeight() / 2, TOP + plotHeight() / 2, escape(axes.y())));
    }

    /** 1, 2 or 5 × a power of ten, at least {@code max} (and at least 1, so an empty chart still has a scale). */
    static double niceMax(double max) {
        if (max <= 1) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * magnitude >= max) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
