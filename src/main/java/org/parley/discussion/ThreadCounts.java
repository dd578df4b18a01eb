package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jooq.impl.DSL;
import org.parley.data.Databases;
import org.parley.data.ShardRouter;
import org.parley.site.CountWording;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.parley.web.Json;
import org.parley.web.PathParams;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.parley.db.shard.Tables.THREAD;

/**
 * {@code GET /counts/{site}?key=…&url=…&lang=…}: the comment counts of every thread a page lists, in one request, for
 * the count scripts (Parley's {@code /count.js} and the Disqus shape's). A thread is asked for by its key (Disqus's
 * identifier) or by its page's address, as Disqus's count script asks. Keys go to their own shards, one statement
 * each; addresses can be on any shard (a thread's shard follows its key), so with any address every shard is asked
 * once. Public data, the same
 * for every reader: cacheable for a minute by browsers and CDNs, and readable from any origin (CORS {@code *}).
 * The answer carries the site's wording for the counts in the reader's language.
 */
public final class ThreadCounts {
    static final int MAX_THREADS = 200;
    static final int MAX_LENGTH = 2000;
    static final String CACHE_CONTROL = "public, max-age=60";

    private final Databases databases;
    private final SiteRepository sites;
    private final ShardRouter router;

    public ThreadCounts(Databases databases, SiteRepository sites) {
        this.databases = databases;
        this.sites = sites;
        this.router = new ShardRouter(databases.shardMap().shardCount());
    }

    /** GET /counts/:site */
    public void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = sites.byName(PathParams.of(req).text("site")).orElseThrow(ThreadPages::noSite);
        Set<String> identifiers = values(req, "key");
        Set<String> urls = values(req, "url");
        if (identifiers.size() + urls.size() > MAX_THREADS) {
            throw HttpError.wordedField(400, "key", "thread.error.countsMany", Integer.toString(MAX_THREADS));
        }
        Map<String, Integer> byKey = new TreeMap<>();
        Map<String, Integer> byUrl = new TreeMap<>();
        Set<String> keys = new LinkedHashSet<>(identifiers);
        keys.addAll(urls); // a thread embedded without a key of its own is keyed by its page's address
        for (int shard : shards(site.id(), identifiers, urls)) {
            var where = THREAD.KEY.eq(DSL.any(keys.toArray(String[]::new)));
            if (!urls.isEmpty()) {
                where = where.or(THREAD.URL.eq(DSL.any(urls.toArray(String[]::new))));
            }
            for (var r : databases.read(shard).select(THREAD.KEY, THREAD.URL, THREAD.COMMENT_COUNT).from(THREAD)
                    .where(THREAD.SITE_ID.eq(site.id())).and(where).fetch()) {
                if (identifiers.contains(r.value1())) {
                    byKey.put(r.value1(), r.value3());
                }
                if (urls.contains(r.value1())) {
                    byUrl.merge(r.value1(), r.value3(), Math::max);
                }
                if (r.value2() != null && urls.contains(r.value2())) {
                    byUrl.merge(r.value2(), r.value3(), Math::max);
                }
            }
        }
        CountWording wording = sites.countWording(site.id()).over(CountWording.shipped(req.getParameter("lang")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keys", byKey);
        body.put("urls", byUrl);
        body.put("wording", Map.of("zero", wording.zero(), "one", wording.one(), "many", wording.many()));
        resp.setHeader("Cache-Control", CACHE_CONTROL);
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setContentType("application/json; charset=utf-8");
        resp.getWriter().write(Json.object(body));
    }

    /** The shards to ask: the keys' own, or every shard when an address is asked for. */
    private List<Integer> shards(long siteId, Set<String> identifiers, Set<String> urls) {
        if (!urls.isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int s = 0; s < router.shardCount(); s++) {
                all.add(s);
            }
            return all;
        }
        Set<Integer> touched = new TreeSet<>();
        identifiers.forEach(key -> touched.add(router.shardOf(siteId, key)));
        return List.copyOf(touched);
    }

    private static Set<String> values(HttpServletRequest req, String name) {
        String[] sent = req.getParameterValues(name);
        Set<String> values = new LinkedHashSet<>();
        if (sent != null) {
            for (String v : sent) {
                if (v.length() > MAX_LENGTH) {
                    throw HttpError.wordedField(400, name, "thread.error.countsLength", name,
                            Integer.toString(MAX_LENGTH));
                }
                if (!v.isBlank()) {
                    values.add(v);
                }
            }
        }
        return values;
    }
}
