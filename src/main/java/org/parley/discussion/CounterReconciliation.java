package org.parley.discussion;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.parley.data.Databases;
import org.parley.data.ShardRouter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.parley.db.shard.Tables.THREAD;

/**
 * Proves the denormalised counters against the rows they count, and repairs the ones that drifted (a bug, a
 * manual SQL fix, a restore): {@code thread.comment_count}, and each comment's {@code reply_count},
 * {@code upvotes}, {@code downvotes}, {@code score} and {@code flag_count}. The rules are the writers' rules
 * (CommentService, ModerationService): a thread counts its approved comments that are not shadowed; a comment
 * counts its direct replies that are not deleted (pending, spam and shadowed ones included), its votes by value,
 * and its flags; score = upvotes − downvotes.
 *
 * Work goes shard by shard in batches of threads (keyset on the thread ID), each batch one read-only pass. A
 * row that looks wrong is fixed in its own short transaction that first locks it, then counts again: a writer
 * that was in flight during the scan either committed before the lock (and is counted) or queues behind it
 * (and applies its delta to the repaired value), so the job never writes a stale count over a live one. The
 * fix bumps the thread's version, so cached pages and ETags move on.
 */
public final class CounterReconciliation {
    /** Threads per read pass: big enough to amortise round trips, small enough to keep each query short. */
    public static final int DEFAULT_BATCH = 500;

    /** One repaired counter. */
    public record Fix(int shard, String table, long id, String counter, long was, long now) {
        @Override
        public String toString() {
            return ShardRouter.schemaOf(shard) + " " + table + " " + id + " " + counter + ": " + was + " -> " + now;
        }
    }

    /** What one shard's pass saw and did. */
    public record ShardResult(int shard, long threads, long comments, List<Fix> fixes, long millis) {
    }

    private final Databases databases;
    private final int batch;
    private final boolean dryRun;
    private final ThreadWrites writes;

    /**
     * @param versions hears, after each fix commits, the thread whose version it bumped (for the cache of versions)
     */
    public CounterReconciliation(Databases databases, int batch, boolean dryRun, ThreadWrites.Committed versions) {
        this(databases, batch, dryRun, new ThreadWrites(databases, versions));
    }

    /** The same, queuing a purge at the edge for each thread repaired ({@code purges}; NONE without an edge). */
    public CounterReconciliation(Databases databases, int batch, boolean dryRun, ThreadWrites.Committed versions,
                                 org.parley.edge.EdgePurges purges) {
        this(databases, batch, dryRun, new ThreadWrites(databases, versions, purges));
    }

    private CounterReconciliation(Databases databases, int batch, boolean dryRun, ThreadWrites writes) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        this.databases = databases;
        this.batch = batch;
        this.dryRun = dryRun;
        this.writes = writes;
    }

    /** Every logical shard in turn; {@code progress} hears about each shard as it finishes. */
    public List<ShardResult> runAll(Consumer<ShardResult> progress) {
        List<ShardResult> results = new ArrayList<>();
        for (int shard = 0; shard < databases.shardMap().shardCount(); shard++) {
            ShardResult result = run(shard);
            progress.accept(result);
            results.add(result);
        }
        return results;
    }

    public ShardResult run(int shard) {
        long started = System.nanoTime();
        DSLContext db = databases.write(shard); // counts must be proven on the primary: a replica may lag
        String s = ShardRouter.schemaOf(shard);
        List<Fix> fixes = new ArrayList<>();
        long threads = 0;
        long comments = 0;
        long after = 0;
        while (true) {
            var threadRows = db.fetch(THREAD_SCAN.formatted(s), after, batch);
            if (threadRows.isEmpty()) {
                break;
            }
            long last = threadRows.getLast().get("id", Long.class);
            threads += threadRows.size();
            for (Record r : threadRows) {
                if (r.get("comment_count", Long.class).longValue() != r.get("counted", Long.class).longValue()) {
                    fixThread(shard, r.get("id", Long.class), fixes);
                }
            }
            var commentRows = db.fetch(COMMENT_SCAN.formatted(s), after, last);
            for (Record r : commentRows) {
                comments = r.get("checked", Long.class); // the same on every row: the batch's comment count
                if (r.get("id", Long.class) != null) {
                    fixComment(shard, r.get("id", Long.class), fixes);
                }
            }
            after = last;
        }
        return new ShardResult(shard, threads, comments, List.copyOf(fixes), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A batch of threads with a fresh count of their visible comments; {@code c.id >= t.id} lets PostgreSQL skip
     * partitions older than the thread.
     */
    private static final String THREAD_SCAN = """
            SELECT t.id, t.comment_count::bigint AS comment_count,
                   (SELECT count(*) FROM %1$s.comment c
                     WHERE c.thread_id = t.id AND c.id >= t.id AND c.state = 'approved' AND NOT c.shadow) AS counted
              FROM %1$s.thread t
             WHERE t.id > ?
             ORDER BY t.id
             LIMIT ?""";

    /**
     * The comments of the same batch of threads whose counters disagree with their replies, votes and flags.
     * Always one row at least (the LEFT JOIN on a one-row "total"), which carries how many comments were checked.
     */
    private static final String COMMENT_SCAN = """
            WITH cs AS (
                SELECT c.id, c.parent_id, c.state, c.reply_count, c.upvotes, c.downvotes, c.score, c.flag_count
                  FROM %1$s.comment c
                 WHERE c.thread_id > ? AND c.thread_id <= ? AND c.id > c.thread_id
            ), replies AS (
                SELECT parent_id AS id, count(*) AS n FROM cs
                 WHERE parent_id IS NOT NULL AND state <> 'deleted' GROUP BY parent_id
            ), votes AS (
                SELECT v.comment_id AS id, count(*) FILTER (WHERE v.value = 1) AS up,
                       count(*) FILTER (WHERE v.value = -1) AS down
                  FROM %1$s.vote v JOIN cs ON cs.id = v.comment_id GROUP BY v.comment_id
            ), flags AS (
                SELECT f.comment_id AS id, count(*) AS n
                  FROM %1$s.flag f JOIN cs ON cs.id = f.comment_id GROUP BY f.comment_id
            ), drifted AS (
                SELECT cs.id FROM cs
                  LEFT JOIN replies r ON r.id = cs.id LEFT JOIN votes v ON v.id = cs.id LEFT JOIN flags f ON f.id = cs.id
                 WHERE cs.reply_count <> coalesce(r.n, 0)
                    OR cs.upvotes <> coalesce(v.up, 0) OR cs.downvotes <> coalesce(v.down, 0)
                    OR cs.score <> coalesce(v.up, 0) - coalesce(v.down, 0)
                    OR cs.flag_count <> coalesce(f.n, 0)
            )
            SELECT d.id, total.checked
              FROM (SELECT count(*) AS checked FROM cs) total
              LEFT JOIN drifted d ON true
            """;

    private void fixThread(int shard, long threadId, List<Fix> fixes) {
        String s = ShardRouter.schemaOf(shard);
        writes.on(shard, write -> {
            DSLContext t = write.dsl();
            Long was = t.fetchValue("SELECT comment_count::bigint FROM " + s + ".thread WHERE id = ? FOR UPDATE",
                    threadId) instanceof Number n ? n.longValue() : null;
            if (was == null) {
                return null; // deleted meanwhile
            }
            long now = ((Number) t.fetchValue("SELECT count(*) FROM " + s + ".comment WHERE thread_id = ? AND id >= ?"
                    + " AND state = 'approved' AND NOT shadow", threadId, threadId)).longValue();
            if (now == was) {
                return null; // a writer was in flight during the scan: nothing drifted
            }
            fixes.add(new Fix(shard, "thread", threadId, "comment_count", was, now));
            if (!dryRun) {
                write.bump(threadId, 0, Map.of(THREAD.COMMENT_COUNT, (int) now));
            }
            return null;
        });
    }

    private void fixComment(int shard, long commentId, List<Fix> fixes) {
        String s = ShardRouter.schemaOf(shard);
        writes.on(shard, write -> {
            DSLContext t = write.dsl();
            Record row = t.fetchOptional("SELECT thread_id, reply_count, upvotes, downvotes, score, flag_count"
                    + " FROM " + s + ".comment WHERE id = ? FOR UPDATE", commentId).orElse(null);
            if (row == null) {
                return null;
            }
            long threadId = row.get("thread_id", Long.class);
            Record counted = t.fetchSingle("""
                    SELECT (SELECT count(*) FROM %1$s.comment r
                             WHERE r.thread_id = ? AND r.parent_id = ? AND r.id > ? AND r.state <> 'deleted') AS replies,
                           (SELECT count(*) FROM %1$s.vote v WHERE v.comment_id = ? AND v.value = 1) AS up,
                           (SELECT count(*) FROM %1$s.vote v WHERE v.comment_id = ? AND v.value = -1) AS down,
                           (SELECT count(*) FROM %1$s.flag f WHERE f.comment_id = ?) AS flags
                    """.formatted(s), threadId, commentId, commentId, commentId, commentId, commentId);
            long up = counted.get("up", Long.class);
            long down = counted.get("down", Long.class);
            String[] names = {"reply_count", "upvotes", "downvotes", "score", "flag_count"};
            long[] now = {counted.get("replies", Long.class), up, down, up - down, counted.get("flags", Long.class)};
            boolean changed = false;
            for (int i = 0; i < names.length; i++) {
                long was = row.get(names[i], Long.class);
                if (was != now[i]) {
                    fixes.add(new Fix(shard, "comment", commentId, names[i], was, now[i]));
                    changed = true;
                }
            }
            if (!changed || dryRun) {
                return null;
            }
            t.execute("UPDATE " + s + ".comment SET reply_count = ?, upvotes = ?, downvotes = ?, score = ?,"
                    + " flag_count = ? WHERE id = ?", (int) now[0], (int) now[1], (int) now[2], (int) now[3],
                    (int) now[4], commentId);
            // the comment's numbers are on the thread's page: move its version so caches and ETags follow
            write.bump(threadId, 0);
            return null;
        });
    }
}
