package org.parley.moderation;

import org.parley.web.HttpError;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a moderator narrowed a queue to: sites (always a subset of their own), and optionally one thread (by its
 * key), one author (display name, case-insensitive, or a guest's email), an IP address or CIDR range, and words in
 * the text; newest or oldest first; and where the page starts (a comment ID, exclusive: keyset pagination, so a
 * page costs the same however deep into the queue it is).
 *
 * @param ip a range in PostgreSQL's canonical {@code cidr} form, already validated
 */
public record QueueFilter(Queue queue, Set<Long> sites, Long site, String thread, String author, String ip,
                          String text, boolean oldest, Long from) {
    static final int MAX_TEXT = 200;

    /** Whether anything narrows or reorders the queue (the page then shows its filters open). */
    public boolean narrowed() {
        return site != null || thread != null || author != null || ip != null || text != null || oldest;
    }

    /**
     * Reads the filter from the query string. {@code mine} are the viewer's sites: any other site id is refused as
     * not found; {@code cidr} turns an IP or range into its canonical form, empty when malformed.
     */
    static QueueFilter parse(Function<String, String> param, Set<Long> mine,
                             Function<String, Optional<String>> cidr) {
        Queue queue = Queue.parse(param.apply("queue"));
        String siteText = blankToNull(param.apply("site"));
        Long site = siteText == null ? null : ConsoleAccess.requireSite(mine, siteText);
        String ipText = bounded(param.apply("ip"), "ip");
        String ip = null;
        if (ipText != null) {
            ip = cidr.apply(ipText).orElseThrow(() -> HttpError.badRequest("'" + ipText
                    + "' is not an IP address or CIDR range (like 192.0.2.7 or 192.0.2.0/24).", "ip"));
        }
        String order = param.apply("order");
        if (order != null && !order.isBlank() && !order.equals("newest") && !order.equals("oldest")) {
            throw HttpError.wordedField(400, "order", "console.error.order");
        }
        String fromText = blankToNull(param.apply("from"));
        Long from = null;
        if (fromText != null) {
            try {
                from = Long.parseLong(fromText);
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("'from' must be a comment number.", "from");
            }
        }
        return new QueueFilter(queue, site == null ? mine : Set.of(site), site, bounded(param.apply("thread"), "thread"),
                bounded(param.apply("author"), "author"), ip, bounded(param.apply("text"), "text"),
                "oldest".equals(order), from);
    }

    /** The same filter starting at another comment (for the next page). */
    QueueFilter from(Long id) {
        return new QueueFilter(queue, sites, site, thread, author, ip, text, oldest, id);
    }

    /** The query string that reproduces this filter (without {@code from} unless set). */
    String query() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("queue", queue.urlValue());
        params.put("site", site == null ? null : site.toString());
        params.put("thread", thread);
        params.put("author", author);
        params.put("ip", ip);
        params.put("text", text);
        params.put("order", oldest ? "oldest" : null);
        params.put("from", from == null ? null : from.toString());
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> {
            if (v != null) {
                query.append(query.isEmpty() ? "" : "&").append(k).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    private static String bounded(String raw, String field) {
        String value = blankToNull(raw);
        if (value != null && value.length() > MAX_TEXT) {
            throw HttpError.wordedField(400, field, "console.error.filterLength", field, MAX_TEXT);
        }
        return value;
    }

    private static String blankToNull(String raw) {
        return raw == null || raw.isBlank() ? null : raw.strip();
    }
}
