package org.parley.moderation;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record6;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.parley.data.AllShards;
import org.parley.data.AllShards.Source;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.data.ShardTables;
import org.parley.db.shard.tables.Comment;
import org.parley.db.shard.tables.Flag;
import org.parley.discussion.CommentView.State;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.parley.db.main.Tables.KNOWN_AUTHOR;

/**
 * What a moderator needs beside each comment of a queue page to decide quickly: every report's reason and note,
 * and the author's record on the site (comments so far, how many were removed, whether a moderator has approved
 * them before). Fetched for the whole page at once — one statement per physical database for the reports (only
 * the shards the reported comments live on), one for the authors' records, one on main for trust — so a page
 * costs the same whatever it lists.
 */
public final class QueueDetails {
    /** The most notes kept per reason and comment: enough to see what readers say, not a transcript. */
    static final int NOTES_PER_REASON = 3;

    /** The reports of one comment for one reason: how many, and the newest notes readers wrote. */
    public record Reports(String reason, int count, List<String> notes) {
        /** The message key of the reason as moderators read it (console.report.*). */
        public String labelKey() {
            return "console.report." + reason;
        }
    }

    /** An author's record on one site; {@code known} when a moderator there approved one of their comments. */
    public record Standing(long comments, long approved, long removed, boolean known) {
        static final Standing NEW = new Standing(0, 0, 0, false);
    }

    /** The details of one page, looked up per item. */
    public record Details(Map<Long, List<Reports>> reports, Map<String, Standing> standings) {
        public List<Reports> reportsOf(ReviewQueue.Item item) {
            return reports.getOrDefault(item.id(), List.of());
        }

        public Standing standingOf(ReviewQueue.Item item) {
            String key = authorKey(item.siteId(), item.authorAccountId(), item.authorEmail());
            return key == null ? Standing.NEW : standings.getOrDefault(key, Standing.NEW);
        }
    }

    private final Databases databases;
    private final AllShards shards;

    public QueueDetails(Databases databases) {
        this.databases = databases;
        this.shards = new AllShards(databases);
    }

    public Details of(List<ReviewQueue.Item> items) {
        return new Details(reports(items), standings(items));
    }

    private Map<Long, List<Reports>> reports(List<ReviewQueue.Item> items) {
        Map<Integer, List<Long>> reportedByShard = new HashMap<>();
        for (ReviewQueue.Item item : items) {
            if (item.flagCount() > 0) {
                reportedByShard.computeIfAbsent(Ids.shardOf(item.id()), s -> new ArrayList<>()).add(item.id());
            }
        }
        Map<Long, List<Reports>> reports = new HashMap<>();
        if (reportedByShard.isEmpty()) {
            return reports;
        }
        Field<Integer> count = DSL.count().as("reports");
        List<List<Record>> rows = shards.each(Source.PRIMARY, cluster -> {
            var union = cluster.unionAll(reportedByShard.keySet(), shard -> {
                Flag f = ShardTables.flag(shard);
                // the newest notes, open reports only (a dismissed one was decided on)
                Field<String[]> notes = DSL.field("array_agg({0} ORDER BY {1} DESC) FILTER (WHERE {0} <> '')",
                        SQLDataType.CLOB.array(), f.NOTE, f.CREATED_AT).as("notes");
                return DSL.select(f.COMMENT_ID, f.REASON, count, notes)
                        .from(f)
                        .where(f.COMMENT_ID.in(reportedByShard.get(shard)))
                        .and(f.DISMISSED_AT.isNull())
                        .groupBy(f.COMMENT_ID, f.REASON);
            });
            return union == null ? List.of() : cluster.dsl().fetch(union).stream().map(r -> (Record) r).toList();
        });
        rows.forEach(cluster -> cluster.forEach(r -> reports.computeIfAbsent(r.get(0, Long.class), id -> new ArrayList<>())
                .add(new Reports(r.get(1, String.class), r.get(2, Integer.class),
                        newest(r.get(3, String[].class))))));
        reports.values().forEach(list -> list.sort(Comparator.comparingInt(Reports::count).reversed()));
        return reports;
    }

    /** The first {@link #NOTES_PER_REASON} notes of a newest-first array (null when none had a note). */
    private static List<String> newest(String[] notes) {
        return notes == null ? List.of() : List.of(notes).subList(0, Math.min(NOTES_PER_REASON, notes.length));
    }

    private Map<String, Standing> standings(List<ReviewQueue.Item> items) {
        Set<Long> sites = new HashSet<>();
        Set<Long> accounts = new HashSet<>();
        Set<String> emails = new HashSet<>();
        for (ReviewQueue.Item item : items) {
            sites.add(item.siteId());
            if (item.authorAccountId() != null) {
                accounts.add(item.authorAccountId());
            } else if (item.authorEmail() != null) {
                emails.add(item.authorEmail().toLowerCase(Locale.ROOT));
            }
        }
        Map<String, Standing> standings = new HashMap<>();
        if (accounts.isEmpty() && emails.isEmpty()) {
            return standings;
        }
        List<List<Record>> rows = shards.each(Source.PRIMARY, cluster -> cluster.dsl()
                .fetch(cluster.unionAll(shard -> record(shard, sites, accounts, emails)))
                .stream().map(r -> (Record) r).toList());
        rows.forEach(cluster -> cluster.forEach(r -> {
            String key = authorKey(r.get(0, Long.class), r.get(1, Long.class), r.get(2, String.class));
            Standing old = standings.getOrDefault(key, Standing.NEW);
            standings.put(key, new Standing(old.comments() + r.get(3, Long.class), old.approved() + r.get(4, Long.class),
                    old.removed() + r.get(5, Long.class), false));
        }));
        if (!accounts.isEmpty()) {
            DSLContext main = databases.main();
            main.select(KNOWN_AUTHOR.SITE_ID, KNOWN_AUTHOR.ACCOUNT_ID).from(KNOWN_AUTHOR)
                    .where(KNOWN_AUTHOR.SITE_ID.in(sites)).and(KNOWN_AUTHOR.ACCOUNT_ID.in(accounts))
                    .forEach(r -> standings.computeIfPresent(authorKey(r.value1(), r.value2(), null),
                            (key, s) -> new Standing(s.comments(), s.approved(), s.removed(), true)));
        }
        return standings;
    }

    /**
     * One shard's counts per (site, author): accounts on (site_id, author_account_id), guests by their email on
     * (site_id, lower(author_email)) — the two author indexes (shard V6).
     */
    private static Select<Record6<Long, Long, String, Integer, Integer, Integer>> record(
            int shard, Set<Long> sites, Set<Long> accounts, Set<String> emails) {
        Comment c = ShardTables.comment(shard);
        Field<Integer> total = DSL.count();
        Field<Integer> approved = DSL.count().filterWhere(c.STATE.eq(State.APPROVED.column()));
        Field<Integer> removed = DSL.count().filterWhere(c.STATE.in(State.SPAM.column(), State.DELETED.column()));
        Select<Record6<Long, Long, String, Integer, Integer, Integer>> byAccount = accounts.isEmpty() ? null
                : DSL.select(c.SITE_ID, c.AUTHOR_ACCOUNT_ID, DSL.castNull(SQLDataType.CLOB), total, approved, removed)
                        .from(c)
                        .where(c.SITE_ID.in(sites)).and(c.AUTHOR_ACCOUNT_ID.in(accounts))
                        .groupBy(c.SITE_ID, c.AUTHOR_ACCOUNT_ID);
        Field<String> email = DSL.lower(c.AUTHOR_EMAIL);
        Select<Record6<Long, Long, String, Integer, Integer, Integer>> byEmail = emails.isEmpty() ? null
                : DSL.select(c.SITE_ID, DSL.castNull(SQLDataType.BIGINT), email, total, approved, removed)
                        .from(c)
                        .where(c.SITE_ID.in(sites)).and(c.AUTHOR_ACCOUNT_ID.isNull()).and(email.in(emails))
                        .groupBy(c.SITE_ID, email);
        return byAccount == null ? byEmail : byEmail == null ? byAccount : byAccount.unionAll(byEmail);
    }

    /** "site:account:42" or "site:email:ada@example.com"; null for a guest who gave no email. */
    static String authorKey(long siteId, Long accountId, String email) {
        if (accountId != null) {
            return siteId + ":account:" + accountId;
        }
        return email == null ? null : siteId + ":email:" + email.toLowerCase(Locale.ROOT);
    }
}
