package org.parley.discussion;

import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stale-page tests' workload (issue 12, defect 3): writers post to one thread and follow their redirect, as
 * browsers do, while guests read it over and over through several Parley instances, round the sorts, revalidating
 * like browsers ({@code If-None-Match}, showing the body a 304 confirms). Every comment is top-level and a thread
 * gets at most 48, so each belongs on the first page (50) of every sort.
 *
 * <p>For every guest page it records the comments acknowledged (answered 302) before the page was asked for that
 * the page lacks, and whether its ETag names a version its content does not reach: every post bumps the thread's
 * version by one, so a page tagged {@code v} must show at least {@code v - v0} of the comments.
 */
final class WritersAndGuests {
    static final List<String> SORTS = List.of("oldest", "newest", "best");
    /** Pages each guest fetches after the last write, so a stale page that stays is seen too. */
    static final int TAIL_FETCHES = 12;
    static final Duration ROUND_LIMIT = Duration.ofMinutes(3);
    private static final Pattern VERSION = Pattern.compile("^(?:W/)?\"t\\d+-v(\\d+)-");
    private static final Pattern MARKER = Pattern.compile("stale\\d+w\\d+c\\d+z");

    /** A comment whose post was answered 302 at {@code at} (System.nanoTime). */
    record Ack(String marker, long at) {
    }

    /** A guest's page that lacked a comment acknowledged before the page was asked for. */
    record Miss(String marker, long afterAckMillis, int instance, String sort, int status, String etag) {
    }

    /** A page whose ETag names a version its content does not reach. */
    record Ahead(String etag, long version, int shown, long expectedAtLeast) {
    }

    private final List<String> instances;
    private final int writers;
    private final int guests;
    private final int commentsPerWriter;
    private final Queue<Miss> misses = new ConcurrentLinkedQueue<>();
    private final Queue<Ahead> ahead = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicInteger pagesLacking = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();
    private final AtomicInteger posts = new AtomicInteger();
    private final AtomicInteger rounds = new AtomicInteger();

    /**
     * @param instances base URLs of the Parley instances, which share a database and a memcached
     */
    WritersAndGuests(List<String> instances, int writers, int guests, int commentsPerWriter) {
        if (writers * commentsPerWriter > 48) {
            throw new IllegalArgumentException("at most 48 comments a thread: all must be on the first page");
        }
        this.instances = List.copyOf(instances);
        this.writers = writers;
        this.guests = guests;
        this.commentsPerWriter = commentsPerWriter;
    }

    /**
     * One thread: the writers post its comments while the guests read it; returns what was acknowledged.
     *
     * @param path           the thread's standalone page, without a query
     * @param initialVersion the thread's version before the first post
     */
    List<Ack> round(String path, long initialVersion) throws Exception {
        int round = rounds.getAndIncrement();
        List<Ack> acked = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger writersLeft = new AtomicInteger(writers);
        // the writers post together: their commits queue on the thread row, and their versions reach the cache
        // in any order
        CyclicBarrier together = new CyclicBarrier(writers);
        try (ExecutorService pool = Executors.newFixedThreadPool(writers + guests)) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    try {
                        write(round, writer, path, acked, together);
                    } finally {
                        if (writersLeft.decrementAndGet() == 0) {
                            writing.set(false);
                        }
                    }
                    return null;
                }));
            }
            for (int g = 0; g < guests; g++) {
                int guest = g;
                tasks.add(pool.submit(() -> {
                    read(guest, path, acked, writing, initialVersion);
                    return null;
                }));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(ROUND_LIMIT.toSeconds(), TimeUnit.SECONDS))
                    .as("round %d within %s", round, ROUND_LIMIT).isTrue();
            for (Future<?> task : tasks) {
                task.get(); // a writer's or guest's assertion fails the test with its own message
            }
        }
        assertThat(acked).hasSize(writers * commentsPerWriter);
        return acked;
    }

    /** A visitor who opens the page, posts, and follows the redirect, as a browser does; instances in turn. */
    private void write(int round, int writer, String path, List<Ack> acked, CyclicBarrier together) throws Exception {
        for (int i = 0; i < commentsPerWriter; i++) {
            String page = path + "?sort=" + SORTS.get((writer + i) % SORTS.size());
            WebClient browser = new WebClient(instances.get((writer + i) % instances.size()));
            browser.get(page);
            String marker = "stale" + round + "w" + writer + "c" + i + "z";
            together.await(ROUND_LIMIT.toSeconds(), TimeUnit.SECONDS);
            HttpResponse<String> posted = browser.post(page, Map.of("name", "Writer " + writer, "body", marker));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
            acked.add(new Ack(marker, System.nanoTime()));
            posts.incrementAndGet();
            HttpResponse<String> back = browser.follow(posted);
            assertThat(back.body()).as("the writer's own redirect").contains(marker);
        }
    }

    /** A guest reading in a loop, round the instances and sorts, with a browser's cache; on after the last write. */
    private void read(int guest, String path, List<Ack> acked, AtomicBoolean writing, long initialVersion) {
        Map<String, HttpResponse<String>> browserCache = new HashMap<>();
        int tail = 0;
        for (int n = guest; tail < TAIL_FETCHES; n++) {
            if (!writing.get()) {
                tail++;
            }
            int instance = n % instances.size();
            String sort = SORTS.get((n / instances.size()) % SORTS.size());
            String page = path + "?sort=" + sort;
            long start = System.nanoTime();
            List<Ack> due = acked.stream().filter(a -> a.at() < start).toList();
            HttpResponse<String> shown = fetch(new WebClient(instances.get(instance)), page, browserCache, instance);
            String etag = shown.headers().firstValue("ETag").orElseThrow();
            boolean lacking = false;
            for (Ack a : due) {
                if (!shown.body().contains(a.marker())) {
                    lacking = true;
                    misses.add(new Miss(a.marker(), (start - a.at()) / 1_000_000, instance, sort, shown.statusCode(),
                            etag));
                }
            }
            if (lacking) {
                pagesLacking.incrementAndGet();
            }
            checkTag(etag, shown.body(), initialVersion);
        }
    }

    /** The page as a browser shows it: revalidated when it has a copy, that copy when the answer is 304. */
    private HttpResponse<String> fetch(WebClient client, String page, Map<String, HttpResponse<String>> browserCache,
                                       int instance) {
        String cacheKey = instance + page;
        HttpResponse<String> kept = browserCache.get(cacheKey);
        HttpResponse<String> response = kept == null ? client.get(page)
                : client.get(page, Map.of("If-None-Match", kept.headers().firstValue("ETag").orElseThrow()));
        pages.incrementAndGet();
        if (response.statusCode() == 304) {
            notModified.incrementAndGet();
            return kept;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        browserCache.put(cacheKey, response);
        return response;
    }

    /** Each post bumps the version by one: a page tagged v shows at least v - v0 comments. */
    private void checkTag(String etag, String body, long initialVersion) {
        long tagged = versionOf(etag);
        Matcher marker = MARKER.matcher(body);
        Set<String> shown = new HashSet<>();
        while (marker.find()) {
            shown.add(marker.group());
        }
        if (shown.size() < tagged - initialVersion) {
            ahead.add(new Ahead(etag, tagged, shown.size(), tagged - initialVersion));
        }
    }

    static long versionOf(String etag) {
        Matcher version = VERSION.matcher(etag);
        assertThat(version.find()).as("a shared page's tag: %s", etag).isTrue();
        return Long.parseLong(version.group(1));
    }

    /** Comments that some guest page fetched after their acknowledgement lacked. */
    long commentsMissed() {
        return misses.stream().map(Miss::marker).distinct().count();
    }

    Queue<Miss> misses() {
        return misses;
    }

    Queue<Ahead> ahead() {
        return ahead;
    }

    /** What was done and found, in one line for the test's output and its failure messages. */
    String figures() {
        return String.format("%d writers x %d guests x %d sorts x %d instances, %d threads: %d comments posted, %d"
                        + " guest pages (%d of them 304); comments missing after their write was acknowledged: %d (%d"
                        + " guest pages lacked one or more, %d absences in all, the latest %d ms after its ack); pages"
                        + " tagged ahead of their content: %d",
                writers, guests, SORTS.size(), instances.size(), rounds.get(), posts.get(), pages.get(),
                notModified.get(), commentsMissed(), pagesLacking.get(), misses.size(),
                misses.stream().mapToLong(Miss::afterAckMillis).max().orElse(0), ahead.size());
    }
}
