package org.parley.discussion;

import org.jooq.impl.DSL;
import org.parley.data.AllShards;
import org.parley.data.Databases;
import org.parley.data.ShardTables;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Every comment of one member, for "download your data": one statement per cluster, oldest first. */
public final class AuthorExport {
    /** One comment as the person wrote it, with where it is. */
    public record Written(long id, long siteId, String threadKey, String threadUrl, OffsetDateTime createdAt,
                          OffsetDateTime editedAt, String state, String body) {
    }

    private final AllShards allShards;

    public AuthorExport(Databases databases) {
        this.allShards = new AllShards(databases);
    }

    public List<Written> comments(long accountId, Collection<Long> sites) {
        List<Written> all = new ArrayList<>();
        allShards.each(AllShards.Source.PRIMARY, cluster -> cluster.dsl().fetch(cluster.unionAll(shard -> {
            var c = ShardTables.comment(shard);
            var t = ShardTables.thread(shard);
            return DSL.select(c.ID, c.SITE_ID, t.KEY, t.URL, c.CREATED_AT, c.EDITED_AT, c.STATE, c.BODY_SOURCE)
                    .from(c).join(t).on(t.ID.eq(c.THREAD_ID))
                    .where(c.SITE_ID.in(sites)).and(c.AUTHOR_ACCOUNT_ID.eq(accountId));
        })).map(r -> new Written(r.get(0, Long.class), r.get(1, Long.class), r.get(2, String.class),
                r.get(3, String.class), r.get(4, OffsetDateTime.class), r.get(5, OffsetDateTime.class),
                r.get(6, String.class), r.get(7, String.class)))).forEach(all::addAll);
        all.sort(Comparator.comparingLong(Written::id));
        return all;
    }
}
