package org.parley.snapshot;

import org.jooq.DSLContext;
import org.jooq.Record4;
import org.jooq.impl.DSL;
import org.parley.data.Databases;
import org.parley.data.FleetJobs;
import org.parley.web.Languages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.parley.db.shard.Tables.THREAD;

/**
 * Publishes cold threads — no write for {@code coldAfter} — as static snapshots in the CDN's bucket, one object per
 * language Parley has. The page is asked of this very instance over HTTP as a guest would ask it, so the snapshot
 * is exactly the page a guest gets (template, cache, ETag and all), plus {@link SnapshotPage}'s three changes.
 *
 * <p>Order matters, because a snapshot that outlived a write would hide that write from the CDN's readers for good.
 * The thread row is locked ({@code FOR UPDATE}), its version checked against the rendered page's, the objects are
 * uploaded and {@code snapshot_version} set, all before that transaction commits: a write to the thread meanwhile
 * waits for the lock, then finds {@code snapshot_version} set and queues the removal (discussion.ThreadWrites). If
 * the commit fails after the upload, the objects are deleted again. A cold thread is written to rarely, so holding
 * its row for the upload costs nobody.
 *
 * <p>Every instance checks every {@link #CHECK_EVERY}; one at a time does the work (main's advisory lock,
 * {@link FleetJobs}), at most {@link #PER_RUN} threads a run, so a first run over years of threads is spread out.
 */
public final class ColdSnapshots implements AutoCloseable {
    static final Duration CHECK_EVERY = Duration.ofMinutes(10);
    static final int PER_RUN = 500;
    private static final int BATCH = 50;
    private static final Duration RENDER_TIMEOUT = Duration.ofSeconds(30);
    /** The shared page's ETag: thread id, version, variant (discussion.PageTags). */
    private static final Pattern ETAG = Pattern.compile("\"t(\\d+)-v(\\d+)-[^\"]*\"");
    private static final Logger log = LoggerFactory.getLogger(ColdSnapshots.class);

    /** What one run did. */
    public record Run(int published, int skipped) {
    }

    private final Databases databases;
    private final SnapshotStore store;
    private final SnapshotNames names;
    private final SnapshotCourier.SiteNames sites;
    private final URI self;
    private final String publicUrl;
    private final String frameScript;
    private final String cdnBase;
    /** Avatars this process has put in the bucket already (named by their content: never replaced). */
    private final java.util.Set<String> avatarsOut = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Duration coldAfter;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("cold-snapshots").factory());

    /**
     * @param self      where this instance answers (its own port on loopback)
     * @param publicUrl PARLEY_PUBLIC_URL, ending in "/": where the snapshot's links and forms go
     * @param frameScript the address of static/snapshot-frame.js on the CDN
     * @param cdnBase   PARLEY_CDN_BASE_URL, ending in "/": where the bucket's objects are read
     */
    public ColdSnapshots(Databases databases, SnapshotStore store, SnapshotNames names,
                         SnapshotCourier.SiteNames sites, URI self, String publicUrl, String frameScript,
                         String cdnBase, Duration coldAfter) {
        this.frameScript = frameScript;
        this.cdnBase = cdnBase;
        this.databases = databases;
        this.store = store;
        this.names = names;
        this.sites = sites;
        this.self = self;
        this.publicUrl = publicUrl;
        this.coldAfter = coldAfter;
    }

    public ColdSnapshots start() {
        scheduler.scheduleWithFixedDelay(this::runLogged, CHECK_EVERY.toMinutes(), CHECK_EVERY.toMinutes(),
                TimeUnit.MINUTES);
        return this;
    }

    /** Publishes up to {@link #PER_RUN} cold threads without a snapshot; empty when another instance is at it. */
    public Optional<Run> runOnce() {
        return FleetJobs.once(databases.main(), "cold-snapshots", main -> {
            int published = 0;
            int skipped = 0;
            for (int shard = 0; shard < databases.shardMap().shardCount() && published + skipped < PER_RUN; shard++) {
                long after = 0;
                List<Candidate> batch;
                do {
                    batch = candidates(shard, after);
                    for (Candidate thread : batch) {
                        after = thread.id();
                        if (publish(shard, thread)) {
                            published++;
                        } else {
                            skipped++;
                        }
                    }
                } while (batch.size() == BATCH && published + skipped < PER_RUN);
            }
            if (published + skipped > 0) {
                log.info("Cold snapshots: {} threads published, {} skipped", published, skipped);
            }
            return new Run(published, skipped);
        });
    }

    private record Candidate(long id, long siteId, String key, long version) {
    }

    private List<Candidate> candidates(int shard, long after) {
        var activity = DSL.coalesce(THREAD.LAST_ACTIVITY_AT, THREAD.CREATED_AT);
        List<Candidate> found = new ArrayList<>();
        for (Record4<Long, Long, String, Long> r : databases.write(shard)
                .select(THREAD.ID, THREAD.SITE_ID, THREAD.KEY, THREAD.VERSION).from(THREAD)
                .where(THREAD.SNAPSHOT_VERSION.isNull())
                .and(activity.lt(java.time.OffsetDateTime.now().minus(coldAfter)))
                .and(THREAD.ID.gt(after))
                .orderBy(THREAD.ID).limit(BATCH).fetch()) {
            found.add(new Candidate(r.value1(), r.value2(), r.value3(), r.value4()));
        }
        return found;
    }

    /** Renders, uploads and records one thread's snapshot; false when it was skipped (logged). */
    private boolean publish(int shard, Candidate thread) {
        Optional<String> site = sites.of(thread.siteId()).filter(SnapshotNames::publishable);
        if (site.isEmpty()) {
            return false;
        }
        Map<String, byte[]> objects = new LinkedHashMap<>();
        try {
            for (String language : Languages.SUPPORTED) {
                String live = publicUrl + "embed/" + site.get() + "?key=" + query(thread.key()) + "&lang=" + language;
                Optional<String> page = render(site.get(), thread, language);
                if (page.isEmpty()) {
                    return false;
                }
                publishAvatars(page.get());
                objects.put(names.object(site.get(), thread.key(), language), SnapshotPage.of(page.get(), publicUrl,
                        live, frameScript, cdnBase + SnapshotNames.AVATARS).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | IllegalArgumentException | SdkException e) {
            log.info("Cold snapshot of thread {} skipped: {}", thread.id(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        List<String> uploaded = new ArrayList<>();
        try {
            return databases.write(shard).transactionResult(tx -> {
                DSLContext db = tx.dsl();
                Long version = db.select(THREAD.VERSION).from(THREAD)
                        .where(THREAD.ID.eq(thread.id())).and(THREAD.SNAPSHOT_VERSION.isNull())
                        .forUpdate().skipLocked().fetchOne(THREAD.VERSION);
                if (version == null || version != thread.version()) {
                    return false; // written to since it was rendered: it is not cold any more
                }
                objects.forEach((object, html) -> {
                    store.put(object, html);
                    uploaded.add(object);
                });
                db.update(THREAD).set(THREAD.SNAPSHOT_VERSION, version).where(THREAD.ID.eq(thread.id())).execute();
                return true;
            });
        } catch (RuntimeException e) {
            // not recorded, so no write would ever remove them: take them down again
            uploaded.forEach(this::deleteQuietly);
            log.warn("Cold snapshot of thread {} not published: {}", thread.id(), e.toString());
            return false;
        }
    }

    /**
     * Puts the avatars Parley draws that {@code page} links (SnapshotPage.LOCAL_AVATAR) in the bucket, unless this
     * process did already: a snapshot must not send its readers to Parley for its pictures either.
     */
    private void publishAvatars(String page) throws IOException, InterruptedException {
        Matcher avatar = SnapshotPage.LOCAL_AVATAR.matcher(page);
        while (avatar.find()) {
            String name = avatar.group(1);
            if (avatarsOut.contains(name)) {
                continue;
            }
            HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(self.resolve("/avatar/" + name))
                    .timeout(RENDER_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (image.statusCode() != 200) {
                throw new IOException("its avatar /avatar/" + name + " answered " + image.statusCode());
            }
            store.putAvatar(names.avatar(name), image.body(),
                    image.headers().firstValue("Content-Type").orElse("image/svg+xml"));
            if (avatarsOut.size() > 100_000) {
                avatarsOut.clear(); // a bound on what is remembered: forgetting costs one upload again
            }
            avatarsOut.add(name);
        }
    }

    /** The thread's embed page in {@code language}, as a guest gets it; empty if it is not the version expected. */
    private Optional<String> render(String site, Candidate thread, String language)
            throws IOException, InterruptedException {
        URI page = self.resolve("/embed/" + site + "?key=" + query(thread.key()) + "&lang=" + language);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(page).timeout(RENDER_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Matcher etag = ETAG.matcher(response.headers().firstValue("ETag").orElse(""));
        if (response.statusCode() != 200 || !etag.find() || Long.parseLong(etag.group(2)) != thread.version()) {
            log.info("Cold snapshot of thread {} skipped: its page answered {} {}", thread.id(),
                    response.statusCode(), response.headers().firstValue("ETag").orElse("without an ETag"));
            return Optional.empty();
        }
        return Optional.of(response.body());
    }

    private void deleteQuietly(String object) {
        try {
            store.delete(object);
        } catch (SdkException e) {
            log.warn("Cold snapshot {} could not be taken down again: {}", object, e.toString());
        }
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void runLogged() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("Cold snapshots failed; will try again in {}: {}", CHECK_EVERY, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
