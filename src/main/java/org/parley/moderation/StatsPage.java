package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.site.Site;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
        List<SiteStats.Day> days = withPendingNow(stats.lastDays(siteId), counts.of(Set.of(siteId)).pending());
        model.put("site", named.get(siteId));
        model.put("rows", days.stream().map(d -> new Row(d.date().toString(), d.comments(), d.pending(),
                human(d.oldestPending()), d.moderated(), human(d.medianToModeration()), human(d.p90ToModeration()))).toList());
        model.put("today", days.getLast());
        model.put("charts", charts(days));
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

    private static List<Chart> charts(List<SiteStats.Day> days) {
        List<String> labels = days.stream().map(d -> d.date().format(DAY_LABEL)).toList();
        String first = days.getFirst().date().toString();
        String last = days.getLast().date().toString();
        String span = " from " + first + " to " + last + " (UTC). The table below has the numbers.";
        boolean hours = unitOf(days).equals("hours");
        Function<Duration, Double> inUnit = d -> d == null ? null : d.toSeconds() / (hours ? 3600.0 : 60.0);
        List<Chart> charts = new java.util.ArrayList<>();
        charts.add(chart("chart-comments", "Comments per day", title -> SvgChart.bars("chart-comments", title,
                "Comments posted each day" + span, "comments", labels,
                days.stream().map(d -> (double) d.comments()).toList())));
        charts.add(chart("chart-pending", "Pending queue at the end of each day", title -> SvgChart.bars("chart-pending", title,
                "Comments waiting for a moderator at the end of each day (now, for today)" + span, "pending", labels,
                days.stream().map(d -> (double) d.pending()).toList())));
        charts.add(chart("chart-oldest", "Age of the oldest pending comment", title -> SvgChart.lines("chart-oldest", title,
                "How long the oldest waiting comment had waited at the end of each day, in " + unitOf(days) + span,
                unitOf(days), labels, List.of(new SvgChart.Series("oldest pending",
                        days.stream().map(d -> inUnit.apply(d.oldestPending())).toList(), "first")))));
        charts.add(chart("chart-moderation", "Time to first moderation", title -> SvgChart.lines("chart-moderation", title,
                "Median and 90th percentile of how long comments waited for a moderator's first action, by the day of "
                        + "that action, in " + unitOf(days) + span, unitOf(days), labels, List.of(
                        new SvgChart.Series("median", days.stream().map(d -> inUnit.apply(d.medianToModeration())).toList(), "first"),
                        new SvgChart.Series("90th percentile", days.stream().map(d -> inUnit.apply(d.p90ToModeration())).toList(), "second")))));
        return charts;
    }

    private static Chart chart(String id, String title, Function<String, String> svg) {
        return new Chart(id, title, svg.apply(title));
    }

    /** A day as the data table shows it. */
    public record Row(String date, long comments, long pending, String oldestPending, int moderated, String median,
                      String p90) {
    }

    /** "—" for nothing to measure, else minutes, hours or days, as a moderator reads a wait. */
    static String human(Duration d) {
        if (d == null) {
            return "—";
        }
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return "under 1 min";
        }
        if (minutes < 120) {
            return minutes + " min";
        }
        if (d.toHours() < 48) {
            return String.format(java.util.Locale.ROOT, "%.1f h", d.toMinutes() / 60.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f days", d.toHours() / 24.0);
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
