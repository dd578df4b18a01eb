package org.parley.moderation;

import org.jooq.Condition;
import org.jooq.Record9;
import org.jooq.Records;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.parley.data.AllShards.Order;
import org.parley.data.AllShards.Source;
import org.parley.data.AllShards;
import org.parley.data.Databases;
import org.parley.data.ShardTables;
import org.parley.db.shard.tables.Comment;
import org.parley.discussion.CommentView.State;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import static org.parley.db.shard.Tables.COMMENT;

/**
 * One author's comments on one site, newest first, from every shard: one statement per physical database (a
 * UNION ALL of each shard's own newest page, {@link AllShards}), merged by ID, continued below an ID (keyset). An
 * author is an account, a guest's email, or an address range; the first two are indexed per site (shard V6).
 */
public final class AuthorHistory {
    public static final int PAGE_SIZE = 50;

    /** Who: {@code kind} is account (value = the id), email (lower-cased) or ip (a canonical CIDR range). */
    public record Author(String kind, String value) {
        public Author {
            if (!List.of("account", "email", "ip").contains(kind)) {
                throw new IllegalArgumentException("unknown author kind " + kind);
            }
        }
    }

    /** A comment as the history lists it. */
    public record Entry(long id, long threadId, String threadKey, String authorName, String bodyHtml, State state,
                        boolean shadow, String ip, OffsetDateTime createdAt) {
    }

    public record Page(List<Entry> entries, Long nextBefore) {
    }

    private final AllShards shards;

    public AuthorHistory(Databases databases) {
        this.shards = new AllShards(databases);
    }

    public Page page(long siteId, Author author, Long before) {
        AllShards.Page<Entry> page = shards.page(Source.PRIMARY, Order.NEWEST_FIRST, PAGE_SIZE,
                cluster -> cluster.firstById(shard -> branch(shard, siteId, author, before), COMMENT.ID,
                                Order.NEWEST_FIRST, PAGE_SIZE + 1)
                        .fetch(Records.mapping(AuthorHistory::entry)),
                Entry::id);
        return new Page(page.items(), page.next());
    }

    private static Entry entry(Long id, Long threadId, String threadKey, String authorName, String bodyHtml,
                               String state, Boolean shadow, String ip, OffsetDateTime createdAt) {
        return new Entry(id, threadId, threadKey, authorName, bodyHtml, State.of(state), shadow, ip, createdAt);
    }

    private static Select<Record9<Long, Long, String, String, String, String, Boolean, String, OffsetDateTime>> branch(
            int shard, long siteId, Author author, Long before) {
        Comment c = ShardTables.comment(shard).as("c");
        var t = ShardTables.thread(shard).as("t");
        Condition where = c.SITE_ID.eq(siteId).and(who(c, author));
        if (before != null) {
            where = where.and(c.ID.lt(before));
        }
        return DSL.select(c.ID, c.THREAD_ID, t.KEY, c.AUTHOR_NAME, c.BODY_HTML, c.STATE, c.SHADOW,
                        DSL.field("host({0})", String.class, c.IP).as("ip"), c.CREATED_AT)
                .from(c)
                .join(t).on(t.ID.eq(c.THREAD_ID))
                .where(where)
                .orderBy(c.ID.desc())
                .limit(PAGE_SIZE + 1);
    }

    private static Condition who(Comment c, Author author) {
        return switch (author.kind()) {
            case "account" -> c.AUTHOR_ACCOUNT_ID.eq(Long.parseLong(author.value()));
            // the shape of the index comment_site_guest_email
            case "email" -> c.AUTHOR_EMAIL.isNotNull()
                    .and(DSL.lower(c.AUTHOR_EMAIL).eq(author.value().toLowerCase(Locale.ROOT)));
            case "ip" -> DSL.condition("{0} <<= {1}::inet", c.IP, DSL.val(author.value()));
            default -> throw new IllegalArgumentException(author.kind());
        };
    }
}
