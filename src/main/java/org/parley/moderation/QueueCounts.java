package org.parley.moderation;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.parley.data.AllShards;
import org.parley.data.AllShards.Source;
import org.parley.data.Databases;
import org.parley.data.ShardTables;
import org.parley.db.shard.tables.Comment;
import org.parley.discussion.CommentView.State;

import java.util.Set;

/**
 * How many comments wait in each queue of a moderator's sites, as the queue tabs, the console's front page and
 * the statistics' "now" show them: counted live on the primaries, where the queues themselves are read, so the
 * numbers agree with the lists. ONE statement per physical database (a UNION ALL over its shards, each count on
 * the index its queue is listed by), counting each queue of each shard up to {@link #CAP}: a queue of thousands is
 * shown as "1000+" instead of being counted to the end on every page view.
 */
public final class QueueCounts {
    public static final int CAP = 1000;

    /** The waiting comments per queue, each at most {@link #CAP} per shard before summing (see {@link #label}). */
    public record Counts(long pending, long flagged, long spam) {
        public String pendingLabel() {
            return QueueCounts.label(pending);
        }

        public String flaggedLabel() {
            return QueueCounts.label(flagged);
        }

        public String spamLabel() {
            return QueueCounts.label(spam);
        }

        static final Counts NONE = new Counts(0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(pending + other.pending, flagged + other.flagged, spam + other.spam);
        }

        /** The count a queue's tab shows; the queues without one (deleted, recent) are archives, not work. */
        public String label(Queue queue) {
            return switch (queue) {
                case PENDING -> QueueCounts.label(pending);
                case FLAGGED -> QueueCounts.label(flagged);
                case SPAM -> QueueCounts.label(spam);
                case DELETED, RECENT -> null;
            };
        }
    }

    private final AllShards shards;

    public QueueCounts(Databases databases) {
        this.shards = new AllShards(databases);
    }

    public Counts of(Set<Long> sites) {
        if (sites.isEmpty()) {
            return Counts.NONE;
        }
        return shards.combined(Source.PRIMARY, cluster -> cluster.dsl().fetch(cluster.unionAll(shard -> branch(shard, sites)))
                .stream()
                .map(r -> new Counts(r.value1(), r.value2(), r.value3()))
                .reduce(Counts.NONE, Counts::plus), Counts::plus);
    }

    static String label(long count) {
        return count >= CAP ? CAP + "+" : Long.toString(count);
    }

    private static Select<Record3<Integer, Integer, Integer>> branch(int shard, Set<Long> sites) {
        Comment c = ShardTables.comment(shard);
        Condition mine = c.SITE_ID.in(sites);
        return DSL.select(
                capped(c, mine.and(c.STATE.eq(State.PENDING.column()))),
                capped(c, mine.and(c.STATE.eq(State.APPROVED.column())).and(c.FLAG_COUNT.gt(0))),
                capped(c, mine.and(c.STATE.eq(State.SPAM.column()))));
    }

    /** {@code count(*)} of at most {@link #CAP} matching rows: the scan stops there. */
    static Field<Integer> capped(Comment c, Condition where) {
        return DSL.field(DSL.select(DSL.count()).from(DSL.selectOne().from(c).where(where).limit(CAP).asTable("capped")));
    }
}
