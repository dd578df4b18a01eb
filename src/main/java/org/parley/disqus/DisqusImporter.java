package org.parley.disqus;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.parley.data.Databases;
import org.parley.data.ShardRouter;
import org.parley.discussion.ThreadWrites;
import org.parley.disqus.ExportItem.Author;
import org.parley.disqus.ExportItem.ExportPost;
import org.parley.disqus.ExportItem.ExportThread;
import org.parley.disqus.ExportItem.Skipped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.parley.db.main.Tables.DISQUS_IMPORT;
import static org.parley.db.main.Tables.DISQUS_IMPORT_NOTE;
import static org.parley.db.main.Tables.DISQUS_IMPORT_POST;

/**
 * {@code parley import-disqus}: a Disqus export into one site, in two passes.
 * <ol>
 *   <li><b>Read</b> the file once, streaming: threads are kept in memory (a site has far fewer threads than
 *   posts), posts go to a staging table in batches, so memory does not grow with the file.</li>
 *   <li><b>Apply</b> thread by thread, each in one transaction on its shard ({@link ThreadImport}): a failure
 *   leaves that thread as it was, is noted, and the run goes on; a rerun continues where it stopped, since posts
 *   already imported are recognised by their Disqus id.</li>
 * </ol>
 * A thread is found by its identifier ({@code disqus_identifier}), which becomes the Parley thread key; a thread
 * without one is keyed by its link, as Disqus itself knew it. The run is recorded in {@code main.disqus_import}
 * with its counts and every note (what was skipped, what was kept with a change), with the line it came from.
 */
public final class DisqusImporter {
    static final int BATCH = 500;
    public static final int DEFAULT_JOBS = 4;
    private static final int MAX_KEY = 500;

    /** What one run did; {@code notes} lists every skipped or changed item with its line. */
    public record Summary(long importId, int threads, int threadsCreated, int closedThreads, int added, int updated,
                          int unchanged, int tombstones, int spam, List<ImportNote> notes, long readMillis,
                          long millis) {
        public long skipped() {
            return notes.stream().filter(n -> !n.kept()).count();
        }
    }

    /** Hears how far the run is: posts read (and the share of the file), then threads applied. */
    public interface Progress {
        void reading(long posts, double fileShare);

        void applying(int threadsDone, int threads);
    }

    private final Databases databases;
    private final ThreadWrites writes;
    private final int jobs;
    private final ShardRouter router;

    public DisqusImporter(Databases databases, ThreadWrites writes) {
        this(databases, writes, DEFAULT_JOBS);
    }

    /** @param jobs threads applied at once (each its own transaction; commits overlap) */
    public DisqusImporter(Databases databases, ThreadWrites writes, int jobs) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        }
        this.jobs = jobs;
        this.databases = databases;
        this.writes = writes;
        this.router = new ShardRouter(databases.shardMap().shardCount());
    }

    /** The id of the site named {@code name}, or an exception naming the sites there are. */
    public long siteId(String name) {
        return new org.parley.site.SiteRepository(databases.main()).named(name).id();
    }

    public Summary run(Path file, long siteId, String startedBy, Progress progress) {
        return run(file, siteId, startedBy, Map.of(), progress);
    }

    /** @param moved old page address → new, for a site whose pages moved since Disqus knew them */
    public Summary run(Path file, long siteId, String startedBy, Map<String, String> moved, Progress progress) {
        long started = System.nanoTime();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        DSLContext main = databases.main();
        long importId = main.insertInto(DISQUS_IMPORT, DISQUS_IMPORT.SITE_ID, DISQUS_IMPORT.FILE_NAME,
                        DISQUS_IMPORT.STARTED_BY)
                .values(siteId, file.getFileName().toString(), startedBy)
                .returning(DISQUS_IMPORT.ID).fetchSingle().get(DISQUS_IMPORT.ID);
        try {
            List<ImportNote> notes = new ArrayList<>();
            Map<Long, ExportThread> threads = read(file, size, importId, notes, progress);
            long readMillis = (System.nanoTime() - started) / 1_000_000;
            var matcher = new ThreadMatcher(existingThreads(siteId), moved);
            Summary summary = apply(importId, siteId, threads, matcher, notes, progress, started, readMillis);
            record(main, summary);
            return summary;
        } finally {
            main.deleteFrom(DISQUS_IMPORT_POST).where(DISQUS_IMPORT_POST.IMPORT_ID.eq(importId)).execute();
        }
    }

    private Map<Long, ExportThread> read(Path file, long size, long importId, List<ImportNote> notes, Progress progress) {
        Map<Long, ExportThread> threads = new LinkedHashMap<>();
        List<ExportPost> batch = new ArrayList<>(BATCH);
        long posts = 0;
        try (var counting = new CountingStream(Files.newInputStream(file));
             var reader = ExportReader.open(counting)) {
            for (ExportItem item = reader.next(); item != null; item = reader.next()) {
                switch (item) {
                    case ExportThread t -> {
                        if (threads.putIfAbsent(t.disqusId(), t) != null) {
                            notes.add(new ImportNote(t.line(), "thread " + t.disqusId(), "the same dsq:id as the thread at line "
                                    + threads.get(t.disqusId()).line() + ": the first is imported", false));
                        }
                    }
                    case ExportPost p -> {
                        batch.add(p);
                        if (batch.size() == BATCH) {
                            stage(importId, batch, notes);
                            batch.clear();
                        }
                        if (++posts % 1000 == 0) {
                            progress.reading(posts, size == 0 ? 1 : (double) counting.count() / size);
                        }
                    }
                    case Skipped s -> notes.add(new ImportNote(s.line(), s.element(), s.reason(), false));
                }
            }
            stage(importId, batch, notes);
            progress.reading(posts, 1);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return threads;
    }

    /** A batch of posts into the staging table; a post whose id came before is noted and left out. */
    private void stage(long importId, List<ExportPost> batch, List<ImportNote> notes) {
        if (batch.isEmpty()) {
            return;
        }
        var insert = databases.main().insertInto(DISQUS_IMPORT_POST, DISQUS_IMPORT_POST.IMPORT_ID,
                DISQUS_IMPORT_POST.DISQUS_ID, DISQUS_IMPORT_POST.THREAD_DISQUS_ID, DISQUS_IMPORT_POST.PARENT_DISQUS_ID,
                DISQUS_IMPORT_POST.CREATED_AT, DISQUS_IMPORT_POST.MESSAGE, DISQUS_IMPORT_POST.AUTHOR_NAME,
                DISQUS_IMPORT_POST.AUTHOR_EMAIL, DISQUS_IMPORT_POST.AUTHOR_USERNAME, DISQUS_IMPORT_POST.IP,
                DISQUS_IMPORT_POST.DELETED, DISQUS_IMPORT_POST.SPAM, DISQUS_IMPORT_POST.APPROVED, DISQUS_IMPORT_POST.LINE);
        Set<Long> inBatch = new HashSet<>();
        List<ExportPost> sent = new ArrayList<>();
        for (ExportPost p : batch) {
            if (!inBatch.add(p.disqusId())) {
                notes.add(duplicate(p));
                continue;
            }
            sent.add(p);
            insert = insert.values(importId, p.disqusId(), p.threadDisqusId(), p.parentDisqusId(),
                    p.createdAt().atOffset(ZoneOffset.UTC), p.message(), p.author().name(), p.author().email(),
                    p.author().username(), p.ip(), p.deleted(), p.spam(), p.approved(), p.line());
        }
        Set<Long> stored = new HashSet<>(insert.onConflictDoNothing().returning(DISQUS_IMPORT_POST.DISQUS_ID)
                .fetch(DISQUS_IMPORT_POST.DISQUS_ID));
        for (ExportPost p : sent) {
            if (!stored.contains(p.disqusId())) {
                notes.add(duplicate(p));
            }
        }
    }

    private static ImportNote duplicate(ExportPost p) {
        return new ImportNote(p.line(), "post " + p.disqusId(), "the same dsq:id as an earlier post: the first is imported",
                false);
    }

    /** The counts of the threads applied so far; threads are applied by several workers at once. */
    private static final class Totals {
        int done;
        int created;
        int closed;
        int added;
        int updated;
        int unchanged;
        int tombstones;
        int spam;
        final Set<Long> applied = new HashSet<>();
        final List<ImportNote> notes;

        Totals(List<ImportNote> notes) {
            this.notes = notes;
        }

        synchronized void add(ExportThread thread, ThreadImport.Outcome outcome) {
            applied.add(thread.disqusId());
            created += outcome.threadCreated() ? 1 : 0;
            closed += thread.closed() ? 1 : 0;
            added += outcome.added();
            updated += outcome.updated();
            unchanged += outcome.unchanged();
            tombstones += outcome.tombstones();
            spam += outcome.spam();
            notes.addAll(outcome.notes());
        }

        synchronized void note(ImportNote note) {
            notes.add(note);
        }

        synchronized void finished(Progress progress, int threads) {
            progress.applying(++done, threads);
        }
    }

    /** The site's threads on every shard, key → url: an export's threads may match them by page. */
    private Map<String, String> existingThreads(long siteId) {
        Map<String, String> existing = new java.util.HashMap<>();
        for (int shard = 0; shard < databases.shardMap().shardCount(); shard++) {
            databases.write(shard).select(org.parley.db.shard.Tables.THREAD.KEY, org.parley.db.shard.Tables.THREAD.URL)
                    .from(org.parley.db.shard.Tables.THREAD)
                    .where(org.parley.db.shard.Tables.THREAD.SITE_ID.eq(siteId))
                    .forEach(r -> existing.put(r.value1(), r.value2()));
        }
        return existing;
    }

    private Summary apply(long importId, long siteId, Map<Long, ExportThread> threads, ThreadMatcher matcher,
                          List<ImportNote> notes, Progress progress, long started, long readMillis) {
        Totals totals = new Totals(notes);
        progress.applying(0, threads.size());
        try (ExecutorService workers = Executors.newFixedThreadPool(jobs)) {
            for (ExportThread thread : threads.values()) {
                workers.submit(() -> {
                    applyOne(importId, siteId, thread, matcher, totals);
                    totals.finished(progress, threads.size());
                });
            }
        }
        notes.addAll(orphans(importId, threads, totals.applied));
        notes.sort(java.util.Comparator.comparingInt(ImportNote::line));
        return new Summary(importId, totals.applied.size(), totals.created, totals.closed, totals.added,
                totals.updated, totals.unchanged, totals.tombstones, totals.spam, List.copyOf(notes), readMillis,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** One thread in its own transaction; whatever goes wrong with it is noted, and the others go on. */
    private void applyOne(long importId, long siteId, ExportThread exported, ThreadMatcher matcher, Totals totals) {
        String key = matcher.key(exported);
        ExportThread thread = new ExportThread(exported.disqusId(), exported.identifier(), matcher.link(exported),
                exported.title(), exported.closed(), exported.deleted(), exported.createdAt(), exported.line());
        if (key == null || key.length() > MAX_KEY) {
            totals.note(new ImportNote(thread.line(), "thread " + thread.disqusId(), key == null
                    ? "it has neither an identifier nor a link, so no page can show it"
                    : "its identifier is longer than " + MAX_KEY + " characters", false));
            return;
        }
        try {
            List<ExportPost> posts = staged(importId, thread.disqusId());
            int shard = router.shardOf(siteId, key);
            totals.add(thread, writes.on(shard, write -> new ThreadImport(siteId, shard).apply(write, thread, key, posts)));
        } catch (RuntimeException e) {
            totals.note(new ImportNote(thread.line(), "thread " + thread.disqusId(), "not imported, nothing of it was"
                    + " written: " + e.getMessage(), false));
        }
    }

    private List<ExportPost> staged(long importId, long threadDisqusId) {
        return databases.main().selectFrom(DISQUS_IMPORT_POST)
                .where(DISQUS_IMPORT_POST.IMPORT_ID.eq(importId))
                .and(DISQUS_IMPORT_POST.THREAD_DISQUS_ID.eq(threadDisqusId))
                .orderBy(DISQUS_IMPORT_POST.CREATED_AT, DISQUS_IMPORT_POST.DISQUS_ID)
                .fetch(r -> new ExportPost(r.getDisqusId(), r.getThreadDisqusId(), r.getParentDisqusId(),
                        r.getMessage(), r.getCreatedAt().toInstant(),
                        new Author(r.getAuthorName(), r.getAuthorEmail(), r.getAuthorUsername(), r.getAuthorUsername() == null),
                        r.getIp(), r.getDeleted(), r.getSpam(), r.getApproved(), r.getLine()));
    }

    /** Posts whose thread is not in the file, or was not imported: each noted with its line. */
    private List<ImportNote> orphans(long importId, Map<Long, ExportThread> threads, Set<Long> applied) {
        List<ImportNote> orphans = new ArrayList<>();
        for (Record r : databases.main().select(DISQUS_IMPORT_POST.DISQUS_ID, DISQUS_IMPORT_POST.THREAD_DISQUS_ID,
                        DISQUS_IMPORT_POST.LINE).from(DISQUS_IMPORT_POST)
                .where(DISQUS_IMPORT_POST.IMPORT_ID.eq(importId))
                .and(DISQUS_IMPORT_POST.THREAD_DISQUS_ID.notIn(applied))
                .orderBy(DISQUS_IMPORT_POST.LINE).fetch()) {
            long thread = r.get(DISQUS_IMPORT_POST.THREAD_DISQUS_ID);
            orphans.add(new ImportNote(r.get(DISQUS_IMPORT_POST.LINE), "post " + r.get(DISQUS_IMPORT_POST.DISQUS_ID),
                    threads.containsKey(thread) ? "its thread " + thread + " was not imported (see its note)"
                            : "its thread " + thread + " is not in the export", false));
        }
        return orphans;
    }

    private static void record(DSLContext main, Summary s) {
        main.update(DISQUS_IMPORT)
                .set(DISQUS_IMPORT.FINISHED_AT, java.time.OffsetDateTime.now(ZoneOffset.UTC))
                .set(DISQUS_IMPORT.THREADS, s.threads())
                .set(DISQUS_IMPORT.COMMENTS_ADDED, s.added())
                .set(DISQUS_IMPORT.COMMENTS_UPDATED, s.updated())
                .set(DISQUS_IMPORT.UNCHANGED, s.unchanged())
                .set(DISQUS_IMPORT.TOMBSTONES, s.tombstones())
                .set(DISQUS_IMPORT.SPAM, s.spam())
                .set(DISQUS_IMPORT.CLOSED_THREADS, s.closedThreads())
                .set(DISQUS_IMPORT.SKIPPED, (int) s.skipped())
                .where(DISQUS_IMPORT.ID.eq(s.importId()))
                .execute();
        for (int from = 0; from < s.notes().size(); from += BATCH) {
            var insert = main.insertInto(DISQUS_IMPORT_NOTE, DISQUS_IMPORT_NOTE.IMPORT_ID, DISQUS_IMPORT_NOTE.LINE,
                    DISQUS_IMPORT_NOTE.ELEMENT, DISQUS_IMPORT_NOTE.REASON, DISQUS_IMPORT_NOTE.KEPT);
            for (ImportNote n : s.notes().subList(from, Math.min(s.notes().size(), from + BATCH))) {
                insert = insert.values(s.importId(), n.line(), n.element(), n.reason(), n.kept());
            }
            insert.execute();
        }
    }

    /** Counts the bytes read from the file (compressed ones, for a .gz), for the progress bar. */
    private static final class CountingStream extends java.io.FilterInputStream {
        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count += Math.max(n, 0);
            return n;
        }
    }
}
