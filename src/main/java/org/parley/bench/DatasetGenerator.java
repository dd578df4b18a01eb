package org.parley.bench;

import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.db.shard.Routines;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.postgresql.PGConnection;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.parley.db.shard.Tables.THREAD;

/**
 * Writes a {@link DatasetSpec} into a migrated Parley database. Each thread is one transaction on its shard's
 * primary: the thread row with its final counters, then its comments in one COPY. IDs come from the shard's
 * {@code next_id()} in one statement per thread, so they are real Instagram IDs naming the shard and the moment.
 * Threads that already exist are skipped, so a run that was stopped can simply be repeated.
 */
public final class DatasetGenerator {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final int ATTEMPTS = 3;
    private static final String UNIQUE_VIOLATION = "23505";

    /** What a run wrote (skipped threads not included). */
    public record Report(int sites, int threads, long comments, long approved, int skipped, long millis) {
    }

    private final Databases databases;
    private final PrintStream out;
    private final ShardRouter router;

    public DatasetGenerator(Databases databases, PrintStream out) {
        this.databases = databases;
        this.out = out;
        this.router = new ShardRouter(databases.shardMap().shardCount());
    }

    private record Job(Site site, String key, int comments) {
    }

    public Report generate(DatasetSpec spec) {
        long started = System.nanoTime();
        List<Site> sites = ensureSites(spec);
        List<Job> jobs = plan(spec, sites);
        long total = jobs.stream().mapToLong(Job::comments).sum();
        out.printf("bench-data: %d sites, %d threads, %,d comments to write with %d jobs%n", sites.size(), jobs.size(),
                total, spec.jobs());
        CommentTexts texts = new CommentTexts(spec.seed());

        var progress = new Progress(total, jobs.size());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-data-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(progress::print, PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        ExecutorService workers = Executors.newFixedThreadPool(spec.jobs());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Job job : jobs) {
                running.add(workers.submit(() -> write(job, spec, texts, progress)));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bench-data was interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            workers.shutdownNow();
            ticker.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Report report = new Report(sites.size(), progress.threads.get() - progress.skipped.get(),
                progress.comments.get(), progress.approved.get(), progress.skipped.get(), millis);
        out.printf("bench-data: done: %d threads (%d already there), %,d comments in %.1f s (%,.0f comments/s)%n",
                report.threads(), report.skipped(), report.comments(), millis / 1000.0,
                report.comments() * 1000.0 / Math.max(1, millis));
        return report;
    }

    private List<Site> ensureSites(DatasetSpec spec) {
        var repository = new SiteRepository(databases.main());
        List<Site> sites = new ArrayList<>();
        for (int i = 1; i <= spec.sites(); i++) {
            String name = i == 1 ? spec.site() : spec.site() + "-" + i;
            if (!repository.exists(name)) {
                repository.create(name, "Bench «" + name + "» & friends", List.of(spec.origin()));
            }
            sites.add(repository.byName(name).orElseThrow());
        }
        return sites;
    }

    /** The named threads on the first site, then the random ones round-robin over all sites; largest first. */
    private static List<Job> plan(DatasetSpec spec, List<Site> sites) {
        List<Job> jobs = new ArrayList<>();
        var seen = new java.util.HashMap<Integer, Integer>();
        for (int count : spec.threads()) {
            int n = seen.merge(count, 1, Integer::sum);
            jobs.add(new Job(sites.getFirst(), "n" + count + (n == 1 ? "" : "-" + n), count));
        }
        Random random = new Random(spec.seed());
        double low = Math.log(spec.randomMin());
        double high = Math.log(spec.randomMax() + 1.0);
        long left = spec.total() - jobs.stream().mapToLong(Job::comments).sum();
        for (int i = 1; spec.total() > 0 ? left > 0 : i <= spec.randomThreads(); i++) {
            int count = (int) Math.min(spec.randomMax(), Math.floor(Math.exp(low + random.nextDouble() * (high - low))));
            if (spec.total() > 0) {
                count = (int) Math.min(count, left); // the last one is cut so the total comes out exact
                left -= count;
            }
            jobs.add(new Job(sites.get((i - 1) % sites.size()), "r%05d-n%d".formatted(i, count), count));
        }
        // the longest transactions start first, so the run does not end waiting on one big thread
        jobs.sort(Comparator.comparingInt(Job::comments).reversed());
        return jobs;
    }

    private void write(Job job, DatasetSpec spec, CommentTexts texts, Progress progress) {
        int shard = router.shardOf(job.site().id(), job.key());
        DSLContext db = databases.write(shard);
        if (db.fetchExists(THREAD, THREAD.SITE_ID.eq(job.site().id()).and(THREAD.KEY.eq(job.key())))) {
            progress.skipped.incrementAndGet();
            progress.threads.incrementAndGet();
            return;
        }
        ThreadShape shape = ThreadShape.of(job.comments(), new Random(spec.seed() * 31 + job.key().hashCode()));
        for (int attempt = 1; ; attempt++) {
            var sent = new AtomicLong();
            try {
                db.transaction(tx -> insertThread(tx.dsl(), shard, job, shape, spec, texts, progress, sent));
                progress.comments.addAndGet(job.comments());
                progress.approved.addAndGet(shape.approved());
                progress.threads.incrementAndGet();
                return;
            } catch (DataAccessException e) {
                // two IDs of one shard in one millisecond more than 1024 apart in its sequence collide: try again
                if (attempt == ATTEMPTS || !UNIQUE_VIOLATION.equals(e.sqlState())) {
                    throw new IllegalStateException("bench-data: thread " + job.key() + " of site " + job.site().name()
                            + " (" + job.comments() + " comments, shard " + shard + ") failed: " + e.getMessage(), e);
                }
            } finally {
                progress.inFlight.addAndGet(-sent.get());
            }
        }
    }

    private void insertThread(DSLContext tx, int shard, Job job, ThreadShape shape, DatasetSpec spec,
                              CommentTexts texts, Progress progress, AtomicLong sent) throws SQLException {
        long[] ids = uniqueIds(tx, job.comments() + 1); // ascending: the thread is older than its comments
        long threadId = ids[0];
        tx.insertInto(THREAD)
                .set(THREAD.ID, threadId)
                .set(THREAD.SITE_ID, job.site().id())
                .set(THREAD.KEY, job.key())
                .set(THREAD.URL, spec.origin() + "/" + job.key())
                .set(THREAD.TITLE, "Bench thread " + job.key() + " — «" + job.comments() + "» comments & <more>")
                .set(THREAD.COMMENT_COUNT, shape.approved())
                // as if each comment had been posted: every write bumps the version once
                .set(THREAD.VERSION, 1L + job.comments())
                .set(THREAD.LAST_ACTIVITY_AT, time(ids[ids.length - 1]))
                .set(THREAD.CREATED_AT, time(threadId))
                .execute();
        String schema = ShardRouter.schemaOf(shard);
        tx.connection(connection -> {
            var copy = new CommentCopy(connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(CommentCopy.sql(schema)));
            // from the seed and the key, not the thread's id: the same seed makes the same texts (--seed), so a
            // page's weight (PageWeightIT) or a benchmark row can be compared run to run
            Random random = new Random(~(spec.seed() * 31 + job.key().hashCode()));
            String[] paths = new String[shape.size];
            for (int i = 0; i < shape.size; i++) {
                long id = ids[i + 1];
                int parent = shape.parent[i];
                String segment = "%016x".formatted(id);
                paths[i] = parent < 0 ? segment : paths[parent] + "." + segment;
                int author = random.nextInt(CommentTexts.AUTHORS);
                copy.add(new CommentCopy.Row(id, threadId, job.site().id(), parent < 0 ? 0 : ids[parent + 1],
                        ids[shape.root[i] + 1], paths[i], shape.depth[i], texts.author(author),
                        texts.body(random.nextInt(CommentTexts.BODIES)), shape.deleted[i], shape.replyCount[i],
                        "198.51.100." + (author % 254 + 1)));
                if (i % 10_000 == 9_999) {
                    progress.inFlight.addAndGet(10_000);
                    sent.addAndGet(10_000);
                }
            }
            copy.finish();
        });
    }

    /**
     * {@code n} distinct IDs from the shard's next_id(), ascending. One statement makes them faster than 1024 a
     * millisecond, so its per-millisecond sequence wraps and repeats values: those are dropped and topped up.
     */
    private static long[] uniqueIds(DSLContext tx, int n) {
        long[] ids = new long[0];
        while (ids.length < n) {
            long[] more = tx.select(Routines.nextId())
                    .from(DSL.generateSeries(1, n - ids.length + 16))
                    .fetch(0, Long.class)
                    .stream().mapToLong(Long::longValue).toArray();
            long[] all = Arrays.copyOf(ids, ids.length + more.length);
            System.arraycopy(more, 0, all, ids.length, more.length);
            ids = Arrays.stream(all).sorted().distinct().toArray();
        }
        return Arrays.copyOf(ids, n);
    }

    private static OffsetDateTime time(long id) {
        return Ids.createdAt(id).atOffset(ZoneOffset.UTC);
    }

    /** Counts shared by the workers, printed every couple of seconds. */
    private final class Progress {
        final long total;
        final int totalThreads;
        final AtomicLong comments = new AtomicLong();
        final AtomicLong approved = new AtomicLong();
        /** Rows sent in COPYs not yet committed, so a single huge thread still shows movement. */
        final AtomicLong inFlight = new AtomicLong();
        final AtomicInteger threads = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final long started = System.nanoTime();

        Progress(long total, int totalThreads) {
            this.total = total;
            this.totalThreads = totalThreads;
        }

        void print() {
            long done = comments.get() + inFlight.get();
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf("bench-data: %,d/%,d comments, %d/%d threads, %,.0f comments/s%n", done, total, threads.get(),
                    totalThreads, done / Math.max(0.001, seconds));
        }
    }
}
