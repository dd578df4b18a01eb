package org.parley.moderation;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.parley.comment.CommentView.State;
import org.parley.data.Databases;
import org.parley.data.ShardRouter;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static org.jooq.impl.DSL.name;

/**
 * One author's comments on one site, newest first, from every shard: one statement per physical database (a
 * UNION ALL of each shard's own newest page), merged by ID, continued below an ID (keyset). An author is an
 * account, a guest's email, or an address range; the first two are indexed per site (shard V6).
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

    private static final Field<Long> ID = DSL.field(name("c", "id"), Long.class);
    private static final Field<Long> SITE_ID = DSL.field(name("c", "site_id"), Long.class);
    private static final Field<Long> THREAD_ID = DSL.field(name("c", "thread_id"), Long.class);
    private static final Field<String> KEY = DSL.field(name("t", "key"), String.class);
    private static final Field<String> AUTHOR = DSL.field(name("c", "author_name"), String.class);
    private static final Field<Long> AUTHOR_ID = DSL.field(name("c", "author_account_id"), Long.class);
    private static final Field<String> EMAIL = DSL.field(name("c", "author_email"), String.class);
    private static final Field<Object> IP_RAW = DSL.field(name("c", "ip"));
    private static final Field<String> IP = DSL.field("host({0})", String.class, IP_RAW);
    private static final Field<String> BODY = DSL.field(name("c", "body_html"), String.class);
    private static final Field<String> STATE = DSL.field(name("c", "state"), String.class);
    private static final Field<Boolean> SHADOW = DSL.field(name("c", "shadow"), Boolean.class);
    private static final Field<OffsetDateTime> CREATED = DSL.field(name("c", "created_at"), OffsetDateTime.class);

    private final Databases databases;
    private final ShardScatter scatter;

    public AuthorHistory(Databases databases) {
        this.databases = databases;
        this.scatter = new ShardScatter(databases);
    }

    public Page page(long siteId, Author author, Long before) {
        List<Entry> merged = new ArrayList<>();
        scatter.each(shards -> query(shards, siteId, author, before)).forEach(merged::addAll);
        merged.sort(Comparator.comparingLong(Entry::id).reversed());
        boolean more = merged.size() > PAGE_SIZE;
        List<Entry> page = List.copyOf(merged.subList(0, Math.min(PAGE_SIZE, merged.size())));
        return new Page(page, more ? page.getLast().id() : null);
    }

    private List<Entry> query(List<Integer> shards, long siteId, Author author, Long before) {
        Select<Record> union = null;
        for (int shard : shards) {
            Select<Record> one = branch(ShardRouter.schemaOf(shard), siteId, author, before);
            union = union == null ? one : union.unionAll(one);
        }
        Table<?> all = union.asTable("h");
        return databases.write(shards.getFirst())
                .select(all.fields())
                .from(all)
                .orderBy(all.field("id", Long.class).desc())
                .limit(PAGE_SIZE + 1)
                .fetch(r -> new Entry(r.get("id", Long.class), r.get("thread_id", Long.class), r.get("key", String.class),
                        r.get("author_name", String.class), r.get("body_html", String.class),
                        State.of(r.get("state", String.class)), r.get("shadow", Boolean.class), r.get("ip", String.class),
                        r.get("created_at", OffsetDateTime.class)));
    }

    private static Select<Record> branch(String schema, long siteId, Author author, Long before) {
        Condition where = SITE_ID.eq(siteId).and(who(author));
        if (before != null) {
            where = where.and(ID.lt(before));
        }
        return DSL.select(List.of(ID, THREAD_ID, KEY, AUTHOR, BODY, STATE, SHADOW, IP.as("ip"), CREATED))
                .from(DSL.table(name(schema, "comment")).as("c"))
                .join(DSL.table(name(schema, "thread")).as("t")).on(DSL.field(name("t", "id"), Long.class).eq(THREAD_ID))
                .where(where)
                .orderBy(ID.desc())
                .limit(PAGE_SIZE + 1);
    }

    private static Condition who(Author author) {
        return switch (author.kind()) {
            case "account" -> AUTHOR_ID.eq(Long.parseLong(author.value()));
            // the shape of the index comment_site_guest_email
            case "email" -> EMAIL.isNotNull().and(DSL.lower(EMAIL).eq(author.value().toLowerCase(Locale.ROOT)));
            case "ip" -> DSL.condition("{0} <<= {1}::inet", IP_RAW, DSL.val(author.value()));
            default -> throw new IllegalArgumentException(author.kind());
        };
    }
}
