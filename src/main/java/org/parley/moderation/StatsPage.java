package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.site.Site;
import org.parley.web.Languages;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.parley.web.BundleMessageResolver.required;

/**
 * {@code GET /admin/stats?site=ID}: a site's last 30 days as charts (server-side SVG) with the numbers as a table.
 * Without {@code site}: the viewer's only site, or a choice of their sites. The site must be the viewer's (else
 * 404). Cost: the console's usual reads (viewer, their sites, site names) plus one statement per physical
 * database, whatever the number of logical shards.
 */
public final class StatsPage {
    private static final DateTimeFormatter DAY_LABEL = DateTimeFormatter.ofPattern("MM-dd");
    /** Above this, waiting times are drawn in hours rather than minutes. */
    private static final Duration HOURS_FROM = Duration.ofHours(3);

    private final Console console;
    private final SiteStats stats;
    private final QueueCounts counts;

    public StatsPage(Console console, SiteStats stats, QueueCounts counts) {
        this.console = console;
        this.stats = stats;
        this.counts = counts;
    }

    /** GET /admin/stats */
    public void show(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Account viewer = visit.viewer();
        Set<Long> mine = visit.mine();
        String siteParam = req.getParameter("site");
        Map<Long, Site> named = console.named(mine);
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("sites", named.values());
        resp.setHeader("Cache-Control", "no-store");
        if ((siteParam == null || siteParam.isBlank()) && named.size() != 1) {
            console.render(req, resp, "admin/stats", model); // choose a site first
            return;
        }
        long siteId = siteParam == null || siteParam.isBlank() ? named.keySet().iterator().next()
                : ConsoleAccess.requireSite(mine, siteParam);
        Locale locale = Languages.of(req);
        List<SiteStats.Day> days = withPendingNow(stats.lastDays(siteId), counts.of(Set.of(siteId)).pending());
        model.put("site", named.get(siteId));
        model.put("rows", days.stream().map(d -> new Row(d.date().toString(), d.comments(), d.pending(),
                human(d.oldestPending(), locale), d.moderated(), human(d.medianToModeration(), locale),
                human(d.p90ToModeration(), locale))).toList());
        model.put("today", days.getLast());
        model.put("charts", charts(days, locale));
        model.put("waitUnit", unitOf(days));
        console.render(req, resp, "admin/stats", model);
    }

    /**
     * Today's pending figure as the queue counts it now (the reconstruction from first moderations misses comments
     * an undo put back), so the page agrees with the queue's tab.
     */
    private static List<SiteStats.Day> withPendingNow(List<SiteStats.Day> days, long pendingNow) {
        SiteStats.Day today = days.getLast();
        List<SiteStats.Day> corrected = new java.util.ArrayList<>(days.subList(0, days.size() - 1));
        corrected.add(new SiteStats.Day(today.date(), today.comments(), pendingNow, today.oldestPending(),
                today.moderated(), today.medianToModeration(), today.p90ToModeration()));
        return corrected;
    }

    /** A chart with its title, which the page shows above it (the SVG's own title is only read out). */
    public record Chart(String id, String title, String svg) {
    }

    /** The four charts, their titles, descriptions and axes in {@code locale}. */
    private static List<Chart> charts(List<SiteStats.Day> days, Locale locale) {
        List<String> labels = days.stream().map(d -> d.date().format(DAY_LABEL)).toList();
        String first = days.getFirst().date().toString();
        String last = days.getLast().date().toString();
        String unit = unitOf(days);
        boolean hours = unit.equals("hours");
        Function<Duration, Double> inUnit = d -> d == null ? null : d.toSeconds() / (hours ? 3600.0 : 60.0);
        String day = required(locale, "console.stats.col.day");
        SvgChart.Axes waits = new SvgChart.Axes(day, required(locale, "console.stats.unit", unit));
        List<Chart> charts = new java.util.ArrayList<>();
        charts.add(chart("chart-comments", required(locale, "console.stats.chart.comments"), title -> SvgChart.bars(
                "chart-comments", title, required(locale, "console.stats.chart.comments.desc", first, last),
                new SvgChart.Axes(day, required(locale, "console.stats.chart.comments.y")), labels,
                days.stream().map(d -> (double) d.comments()).toList())));
        charts.add(chart("chart-pending", required(locale, "console.stats.chart.pending"), title -> SvgChart.bars(
                "chart-pending", title, required(locale, "console.stats.chart.pending.desc", first, last),
                new SvgChart.Axes(day, required(locale, "console.stats.chart.pending.y")), labels,
                days.stream().map(d -> (double) d.pending()).toList())));
        charts.add(chart("chart-oldest", required(locale, "console.stats.chart.oldest"), title -> SvgChart.lines(
                "chart-oldest", title, required(locale, "console.stats.chart.oldest.desc", first, last, unit), waits,
                labels, List.of(new SvgChart.Series(required(locale, "console.stats.chart.oldest.series"),
                        days.stream().map(d -> inUnit.apply(d.oldestPending())).toList(), "first")))));
        String moderation = required(locale, "console.stats.chart.moderation");
        charts.add(chart("chart-moderation", moderation, title -> SvgChart.lines(
                "chart-moderation", title, required(locale, "console.stats.chart.moderation.desc", first, last, unit),
                waits, labels, List.of(
                        new SvgChart.Series(required(locale, "console.stats.chart.median"),
                                days.stream().map(d -> inUnit.apply(d.medianToModeration())).toList(), "first"),
                        new SvgChart.Series(required(locale, "console.stats.col.p90"),
                                days.stream().map(d -> inUnit.apply(d.p90ToModeration())).toList(), "second")))));
        return charts;
    }

    private static Chart chart(String id, String title, Function<String, String> svg) {
        return new Chart(id, title, svg.apply(title));
    }

    /** A day as the data table shows it. */
    public record Row(String date, long comments, long pending, String oldestPending, int moderated, String median,
                      String p90) {
    }

    /**
     * "—" for nothing to measure, else minutes, hours or days, as a moderator reads a wait, in {@code locale}
     * (the number written the same way in every language, as the table's other numbers).
     */
    static String human(Duration d, Locale locale) {
        if (d == null) {
            return "—";
        }
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return required(locale, "console.stats.wait.underMinute");
        }
        if (minutes < 120) {
            return required(locale, "console.stats.wait.minutes", Long.toString(minutes));
        }
        if (d.toHours() < 48) {
            return required(locale, "console.stats.wait.hours",
                    String.format(Locale.ROOT, "%.1f", d.toMinutes() / 60.0));
        }
        return required(locale, "console.stats.wait.days", String.format(Locale.ROOT, "%.1f", d.toHours() / 24.0));
    }

    /** One unit for both waiting-time charts, so they compare at a glance. */
    private static String unitOf(List<SiteStats.Day> days) {
        boolean long_ = days.stream().anyMatch(d -> exceeds(d.oldestPending()) || exceeds(d.p90ToModeration()));
        return long_ ? "hours" : "minutes";
    }

    private static boolean exceeds(Duration d) {
        return d != null && d.compareTo(HOURS_FROM) > 0;
    }
}
