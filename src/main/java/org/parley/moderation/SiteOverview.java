package org.parley.moderation;

import org.jooq.Field;
import org.jooq.Record6;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.parley.data.AllShards;
import org.parley.data.AllShards.Source;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.data.ShardTables;
import org.parley.db.shard.tables.Comment;
import org.parley.discussion.CommentView.State;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Each of a moderator's sites at a glance, for the console's front page: what waits in its queues (counted as the
 * tabs count them, {@link QueueCounts}), when its newest comment came, and whether any page has loaded its embed
 * yet (a thread exists). ONE statement per physical database for all the sites together: each shard's branch
 * reads, per site, a few index probes (capped counts, the newest ID on (site_id, id), one thread).
 */
public final class SiteOverview {
    /** One site's figures; {@code newestComment} is null when it has none yet. */
    public record Glance(QueueCounts.Counts waiting, Instant newestComment, boolean embedded) {
        static final Glance EMPTY = new Glance(QueueCounts.Counts.NONE, null, false);

        Glance plus(Glance other) {
            Instant newest = newestComment == null ? other.newestComment
                    : other.newestComment == null || newestComment.isAfter(other.newestComment) ? newestComment
                    : other.newestComment;
            return new Glance(waiting.plus(other.waiting), newest, embedded || other.embedded);
        }

        /** The newest comment's time, in UTC, as pages format times. */
        public java.time.OffsetDateTime newestCommentAt() {
            return newestComment == null ? null : newestComment.atOffset(java.time.ZoneOffset.UTC);
        }

        public boolean hasComments() {
            return newestComment != null;
        }
    }

    private final AllShards shards;

    public SiteOverview(Databases databases) {
        this.shards = new AllShards(databases);
    }

    public Map<Long, Glance> of(Collection<Long> sites) {
        Map<Long, Glance> glances = new HashMap<>();
        sites.forEach(site -> glances.put(site, Glance.EMPTY));
        if (sites.isEmpty()) {
            return glances;
        }
        Long[] ids = sites.toArray(Long[]::new);
        shards.each(Source.PRIMARY, cluster -> cluster.dsl().fetch(cluster.unionAll(shard -> branch(shard, ids))))
                .forEach(rows -> rows.forEach(r -> glances.merge(r.value1(), new Glance(
                        new QueueCounts.Counts(r.value2(), r.value3(), r.value4()),
                        r.value5() == null ? null : Ids.createdAt(r.value5()), r.value6()), Glance::plus)));
        return glances;
    }

    private static Select<Record6<Long, Integer, Integer, Integer, Long, Boolean>> branch(int shard, Long[] sites) {
        Table<?> site = DSL.unnest(DSL.val(sites, SQLDataType.BIGINT.array())).as("s", "id");
        Field<Long> id = site.field("id", Long.class);
        Comment c = ShardTables.comment(shard);
        var t = ShardTables.thread(shard);
        return DSL.select(id,
                QueueCounts.capped(c, c.SITE_ID.eq(id).and(c.STATE.eq(State.PENDING.column()))),
                QueueCounts.capped(c, c.SITE_ID.eq(id).and(c.STATE.eq(State.APPROVED.column())).and(c.FLAG_COUNT.gt(0))),
                QueueCounts.capped(c, c.SITE_ID.eq(id).and(c.STATE.eq(State.SPAM.column()))),
                DSL.field(DSL.select(DSL.max(c.ID)).from(c).where(c.SITE_ID.eq(id))),
                DSL.field(DSL.exists(DSL.selectOne().from(t).where(t.SITE_ID.eq(id)))))
                .from(site);
    }
}
