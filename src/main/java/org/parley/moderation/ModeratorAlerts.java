package org.parley.moderation;

import org.jooq.DSLContext;
import org.jooq.Record4;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.parley.data.AllShards;
import org.parley.data.Databases;
import org.parley.data.FleetJobs;
import org.parley.data.ShardTables;
import org.parley.db.shard.tables.Comment;
import org.parley.db.shard.tables.Flag;
import org.parley.discussion.CommentView.State;
import org.parley.mail.Mail;
import org.parley.mail.MailTemplates;
import org.parley.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.parley.db.main.Tables.ACCOUNT;
import static org.parley.db.main.Tables.MODERATOR_ALERT;
import static org.parley.db.main.Tables.SITE;
import static org.parley.db.main.Tables.SITE_MODERATOR;

/**
 * "Comments are waiting for you": a mail to each moderator (verified address) when comments were held or flagged
 * on their sites since their last one, at most one per {@code every}, with the counts and a link to the queue.
 *
 * <p>Nothing on the write path: every minute, the instance that takes the advisory lock looks — one statement on
 * main for the moderators who may be mailed now, and only if there are any, one statement per cluster for what
 * waits on each site — and writes the mails to main.outbox in the transaction that records when each moderator
 * was mailed, so a mail is neither lost nor doubled whichever instance runs it.
 */
public final class ModeratorAlerts implements AutoCloseable {
    static final Duration CHECK_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(ModeratorAlerts.class);

    /** What waits on one site: held comments, flagged ones, and when the newest of either arrived. */
    record Waiting(long pending, long flagged, OffsetDateTime newest) {
        Waiting plus(Waiting other) {
            OffsetDateTime later = newest == null ? other.newest
                    : other.newest == null || newest.isAfter(other.newest) ? newest : other.newest;
            return new Waiting(pending + other.pending, flagged + other.flagged, later);
        }
    }

    private record Recipient(long accountId, String name, String email, String language, OffsetDateTime lastSent,
                             Set<Long> sites) {
    }

    private final Databases databases;
    private final AllShards allShards;
    private final MailTemplates templates;
    private final Duration every;
    private AutoCloseable schedule = () -> { };

    public ModeratorAlerts(Databases databases, MailTemplates templates, Duration every) {
        this.databases = databases;
        this.allShards = new AllShards(databases);
        this.templates = templates;
        this.every = every;
    }

    /** Looks every minute (never, when {@code every} is zero). */
    public ModeratorAlerts start() {
        if (!every.isZero()) {
            schedule = FleetJobs.every(every.compareTo(CHECK_EVERY) < 0 ? every : CHECK_EVERY, "moderator-alerts",
                    this::runLogged);
        }
        return this;
    }

    /** Writes the mails that are due now; returns how many. Another instance running it at the same time: 0. */
    public int runOnce() {
        return FleetJobs.once(databases.main(), "moderator-alerts", main -> {
            List<Recipient> due = due(main);
            if (due.isEmpty()) {
                return 0;
            }
            Set<Long> sites = new TreeSet<>();
            due.forEach(r -> sites.addAll(r.sites()));
            Map<Long, Waiting> waiting = waiting(sites);
            Map<Long, String> names = main.select(SITE.ID, SITE.NAME).from(SITE).where(SITE.ID.in(sites))
                    .fetchMap(SITE.ID, SITE.NAME);
            OffsetDateTime now = main.fetchSingle("SELECT now()").get(0, OffsetDateTime.class);
            int written = 0;
            for (Recipient r : due) {
                OffsetDateTime last = r.lastSent();
                Map<String, Waiting> mine = new LinkedHashMap<>();
                Waiting total = new Waiting(0, 0, null);
                for (long site : r.sites()) {
                    Waiting w = waiting.get(site);
                    if (w != null && w.pending() + w.flagged() > 0) {
                        mine.put(names.get(site), w);
                        total = total.plus(w);
                    }
                }
                boolean news = total.newest() != null && (last == null || total.newest().isAfter(last));
                if (!news) {
                    continue;
                }
                Outbox.addToMain(main, Mail.KIND, mail(r, mine, total).toJson());
                main.insertInto(MODERATOR_ALERT, MODERATOR_ALERT.ACCOUNT_ID, MODERATOR_ALERT.LAST_SENT_AT)
                        .values(r.accountId(), now)
                        .onConflict(MODERATOR_ALERT.ACCOUNT_ID).doUpdate().set(MODERATOR_ALERT.LAST_SENT_AT, now)
                        .execute();
                written++;
            }
            return written;
        }).orElse(0);
    }

    /** The moderators with a verified address whose last alert is older than {@code every}, with their sites. */
    private List<Recipient> due(DSLContext main) {
        Map<Long, Recipient> byAccount = new LinkedHashMap<>();
        main.select(ACCOUNT.ID, ACCOUNT.DISPLAY_NAME, ACCOUNT.EMAIL, ACCOUNT.LANGUAGE, MODERATOR_ALERT.LAST_SENT_AT,
                        SITE_MODERATOR.SITE_ID)
                .from(SITE_MODERATOR)
                .join(ACCOUNT).on(ACCOUNT.ID.eq(SITE_MODERATOR.ACCOUNT_ID))
                .leftJoin(MODERATOR_ALERT).on(MODERATOR_ALERT.ACCOUNT_ID.eq(ACCOUNT.ID))
                .where(ACCOUNT.EMAIL.isNotNull()).and(ACCOUNT.EMAIL_VERIFIED_AT.isNotNull())
                .and(MODERATOR_ALERT.LAST_SENT_AT.isNull().or(MODERATOR_ALERT.LAST_SENT_AT.le(
                        DSL.field("now() - make_interval(secs => {0})", OffsetDateTime.class,
                                DSL.val((double) every.toSeconds())))))
                .orderBy(ACCOUNT.ID)
                .forEach(row -> byAccount.computeIfAbsent(row.value1(),
                        id -> new Recipient(id, row.value2(), row.value3(), row.value4(), row.value5(),
                                new TreeSet<>()))
                        .sites().add(row.value6()));
        return new ArrayList<>(byAccount.values());
    }

    /** ONE statement per cluster: held and flagged comments per site, and the time of the newest of either. */
    private Map<Long, Waiting> waiting(Set<Long> sites) {
        Map<Long, Waiting> bySite = new HashMap<>();
        allShards.each(AllShards.Source.PRIMARY, cluster -> cluster.fetchPlannedOnce(cluster.unionAll(shard -> {
            Comment c = ShardTables.comment(shard);
            Flag f = ShardTables.flag(shard);
            Select<Record4<Long, Long, Long, OffsetDateTime>> held = DSL.select(c.SITE_ID, DSL.count().cast(Long.class),
                            DSL.inline(0L), DSL.max(c.CREATED_AT))
                    .from(c)
                    .where(c.SITE_ID.in(sites)).and(c.STATE.eq(State.PENDING.column()))
                    .groupBy(c.SITE_ID);
            Select<Record4<Long, Long, Long, OffsetDateTime>> flagged = DSL.select(c.SITE_ID, DSL.inline(0L),
                            DSL.count().cast(Long.class),
                            DSL.max(DSL.field(DSL.select(DSL.max(f.CREATED_AT)).from(f).where(f.COMMENT_ID.eq(c.ID)))))
                    .from(c)
                    .where(c.SITE_ID.in(sites)).and(c.STATE.eq(State.APPROVED.column())).and(c.FLAG_COUNT.gt(0))
                    .groupBy(c.SITE_ID);
            return held.unionAll(flagged);
        }))).forEach(result -> result.forEach(row -> bySite.merge(row.get(0, Long.class),
                new Waiting(row.get(1, Long.class), row.get(2, Long.class), row.get(3, OffsetDateTime.class)),
                Waiting::plus)));
        return bySite;
    }

    private Mail mail(Recipient r, Map<String, Waiting> sites, Waiting total) {
        List<Map<String, Object>> lines = new ArrayList<>();
        sites.forEach((name, w) -> lines.add(Map.of("site", name, "pending", w.pending(), "flagged", w.flagged())));
        Locale language = r.language() == null ? Locale.ENGLISH : Locale.forLanguageTag(r.language());
        return templates.render("moderation", language, r.email(), Map.of("name", r.name(), "sites", lines,
                "link", templates.link("/admin/queue"), "minutes", Math.max(1, every.toMinutes())), total.pending() + total.flagged());
    }

    private void runLogged() {
        int written = runOnce();
        if (written > 0) {
            log.info("Mailed {} moderator(s) that comments are waiting", written);
        }
    }

    @Override
    public void close() throws Exception {
        schedule.close();
    }
}
