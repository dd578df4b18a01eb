package org.parley.discussion;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.data.FleetJobs;
import org.parley.data.Ids;
import org.parley.db.main.Sequences;
import org.parley.web.HttpError;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.parley.db.main.Tables.COMMENT_SPOOL;

/**
 * The comment spool's table on the main cluster (docs/spool.md): comments accepted while their shard's primary
 * could not be reached, each with the ID it will have, kept until {@link SpoolReplay} has written them to the
 * shard. On main because that is the one cluster every instance reaches and that outlives any instance: a spooled
 * comment survives the instance that took it being killed, and any instance replays it.
 */
public final class CommentSpool {
    /** A replayed row stays this long: the visitor's "saved" page forwards to the comment, the console lists it. */
    public static final Duration KEEP_REPLAYED = Duration.ofDays(1);
    /** Seconds a visitor is asked to wait when the spool is full too. */
    static final long FULL_RETRY_AFTER = 60;

    /** What the visitor sent, and where. */
    public record Entry(int shard, long siteId, String threadKey, String threadUrl, String threadTitle,
                        Long accountId, boolean byApiKey, CommentForm form, String ip, String pageUrl) {
    }

    /** A spooled comment: its future ID, and the token that lets its author (only) see it while it waits. */
    public record Ticket(long commentId, String token) {
    }

    /** One row: what was sent, and what has become of it. */
    public record Row(long seq, long spooledId, long commentId, int shard, long siteId, String threadKey, String threadUrl,
                      String threadTitle, Long accountId, boolean byApiKey, CommentForm form, String ip, String pageUrl, String token,
                      String spooledBy, OffsetDateTime spooledAt, int attempts, String lastError,
                      OffsetDateTime replayedAt, String outcome, String outcomeDetail) {
        public boolean waiting() {
            return replayedAt == null;
        }
    }

    /** What a replay made of a row: the comment's state, or "refused" with the reason. */
    public record Outcome(String outcome, String detail) {
    }

    /** How much waits: in all, the oldest's age by main's clock (seconds), and per shard. */
    public record Depth(long waiting, double oldestAgeSeconds, Map<Integer, Long> perShard) {
        public static final Depth EMPTY = new Depth(0, 0, Map.of());
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DSLContext main;
    private final SpoolLimits limits;
    private final String instance;

    /**
     * Every time the spool records comes from main's clock, never this instance's: spooled IDs carry a time, and
     * two instances whose clocks disagree must still number comments in the order they arrived (the clock-skew
     * drill, docs/operations.md), as next_id() on a shard numbers by its server's clock.
     */
    public CommentSpool(DSLContext main, SpoolLimits limits, String instance) {
        this.main = main;
        this.limits = limits;
        this.instance = instance;
    }

    /** The spool sequence's next number and main's time, in one round trip. */
    private static org.jooq.Record2<Long, OffsetDateTime> numberNow(DSLContext db) {
        return db.select(Sequences.COMMENT_SPOOL_ID_SEQ.nextval(), DSL.currentOffsetDateTime()).fetchSingle();
    }

    public boolean enabled() {
        return limits.enabled();
    }

    /**
     * Keeps a comment, or refuses with 503 when the spool is off or full (for its shard, or for this instance).
     * One transaction on main: the limits are counted on the partial index of waiting rows.
     */
    public Ticket keep(Entry entry) {
        if (!limits.enabled()) {
            throw unavailable();
        }
        return main.transactionResult(tx -> {
            DSLContext db = DSL.using(tx);
            int forShard = db.fetchCount(COMMENT_SPOOL, COMMENT_SPOOL.SHARD.eq(entry.shard())
                    .and(COMMENT_SPOOL.REPLAYED_AT.isNull()));
            int forInstance = forShard >= limits.perShard() ? 0 : db.fetchCount(COMMENT_SPOOL,
                    COMMENT_SPOOL.SPOOLED_BY.eq(instance).and(COMMENT_SPOOL.REPLAYED_AT.isNull()));
            if (forShard >= limits.perShard() || forInstance >= limits.perInstance()) {
                throw unavailable();
            }
            var numbered = numberNow(db);
            long n = numbered.value1();
            OffsetDateTime now = numbered.value2();
            long id = Ids.spooled(now.toInstant(), entry.shard(), n);
            String token = token();
            CommentForm form = entry.form();
            db.insertInto(COMMENT_SPOOL)
                    .set(COMMENT_SPOOL.SPOOLED_ID, id)
                    .set(COMMENT_SPOOL.COMMENT_ID, id)
                    .set(COMMENT_SPOOL.SHARD, entry.shard())
                    .set(COMMENT_SPOOL.SITE_ID, entry.siteId())
                    .set(COMMENT_SPOOL.THREAD_KEY, entry.threadKey())
                    .set(COMMENT_SPOOL.THREAD_URL, entry.threadUrl())
                    .set(COMMENT_SPOOL.THREAD_TITLE, entry.threadTitle())
                    .set(COMMENT_SPOOL.ACCOUNT_ID, entry.accountId())
                    .set(COMMENT_SPOOL.BY_API_KEY, entry.byApiKey())
                    .set(COMMENT_SPOOL.PARENT_ID, form.parentId())
                    .set(COMMENT_SPOOL.BODY, form.body())
                    .set(COMMENT_SPOOL.GUEST_NAME, form.guestName())
                    .set(COMMENT_SPOOL.GUEST_EMAIL, form.guestEmail())
                    .set(COMMENT_SPOOL.NOTIFY_REPLIES, form.notifyReplies())
                    .set(COMMENT_SPOOL.FOLLOW_THREAD, form.followThread())
                    .set(COMMENT_SPOOL.IP, entry.ip())
                    .set(COMMENT_SPOOL.PAGE_URL, entry.pageUrl())
                    .set(COMMENT_SPOOL.VIEW_TOKEN, token)
                    .set(COMMENT_SPOOL.SPOOLED_BY, instance)
                    .set(COMMENT_SPOOL.SPOOLED_AT, now)
                    .execute();
            return new Ticket(id, token);
        });
    }

    /** A member's comments still waiting, on every thread, oldest first (few: the spool's limits bound them). */
    public List<Row> waitingBy(long accountId) {
        return main.selectFrom(COMMENT_SPOOL)
                .where(COMMENT_SPOOL.REPLAYED_AT.isNull().and(COMMENT_SPOOL.ACCOUNT_ID.eq(accountId)))
                .orderBy(COMMENT_SPOOL.SEQ)
                .fetch(CommentSpool::toRow);
    }

    /** The row of a spooled comment, for its author only: the token must match. */
    public Optional<Row> forAuthor(long spooledId, String token) {
        if (token == null) {
            return Optional.empty();
        }
        return main.selectFrom(COMMENT_SPOOL).where(COMMENT_SPOOL.SPOOLED_ID.eq(spooledId))
                .fetchOptional(CommentSpool::toRow)
                .filter(row -> MessageDigest.isEqual(row.token().getBytes(UTF_8), token.getBytes(UTF_8)));
    }

    /** Waiting comments in all, the oldest, and per shard: one statement on the partial index. */
    public Depth depth() {
        var rows = main.select(COMMENT_SPOOL.SHARD, DSL.count(), DSL.field(
                        "extract(epoch from now() - min({0}))", Double.class, COMMENT_SPOOL.SPOOLED_AT))
                .from(COMMENT_SPOOL)
                .where(COMMENT_SPOOL.REPLAYED_AT.isNull())
                .groupBy(COMMENT_SPOOL.SHARD)
                .fetch();
        if (rows.isEmpty()) {
            return Depth.EMPTY;
        }
        double oldest = Math.max(0, rows.stream().mapToDouble(r -> r.value3()).max().orElse(0));
        Map<Integer, Long> perShard = rows.stream().collect(Collectors.toMap(r -> r.value1(), r -> (long) r.value2()));
        return new Depth(perShard.values().stream().mapToLong(Long::longValue).sum(), oldest, perShard);
    }

    /**
     * Replays the oldest waiting rows of {@code shard}, in the order they were spooled, while holding the shard's
     * replay lock on main (so two instances never replay one shard at once, and order holds). {@code replay}
     * writes one row to the shard and says what became of it; empty means "stop here, try later" (the primary is
     * still away), and the rows replayed so far are marked. Returns how many were marked; empty when another
     * instance holds the lock.
     */
    public Optional<Integer> replay(int shard, int batch, Function<Row, Optional<Outcome>> replay) {
        return FleetJobs.once(main, "spool-replay-" + shard, db -> {
            List<Row> rows = db.selectFrom(COMMENT_SPOOL)
                    .where(COMMENT_SPOOL.SHARD.eq(shard)).and(COMMENT_SPOOL.REPLAYED_AT.isNull())
                    .orderBy(COMMENT_SPOOL.SEQ)
                    .limit(batch)
                    .fetch(CommentSpool::toRow);
            int marked = 0;
            for (Row row : rows) {
                Optional<Outcome> outcome = replay.apply(row);
                if (outcome.isEmpty()) {
                    break;
                }
                db.update(COMMENT_SPOOL)
                        .set(COMMENT_SPOOL.REPLAYED_AT, DSL.currentOffsetDateTime())
                        .set(COMMENT_SPOOL.OUTCOME, outcome.get().outcome())
                        .set(COMMENT_SPOOL.OUTCOME_DETAIL, outcome.get().detail())
                        .set(COMMENT_SPOOL.ATTEMPTS, COMMENT_SPOOL.ATTEMPTS.plus(1))
                        .where(COMMENT_SPOOL.SEQ.eq(row.seq()))
                        .execute();
                marked++;
            }
            return marked;
        });
    }

    /**
     * Gives a waiting comment a new ID, younger than {@code after} (its thread, started after it was spooled), and
     * records it before anything is written under it — in its own transaction, so a replay that dies after
     * writing the comment finds it under the new ID next time.
     */
    public long renumber(Row row, long after) {
        var numbered = numberNow(main);
        long n = numbered.value1();
        var time = numbered.value2().toInstant();
        var younger = Ids.createdAt(after).plusMillis(1);
        long id = Ids.spooled(time.isAfter(younger) ? time : younger, row.shard(), n);
        main.update(COMMENT_SPOOL).set(COMMENT_SPOOL.COMMENT_ID, id).where(COMMENT_SPOOL.SEQ.eq(row.seq())).execute();
        return id;
    }

    /** A replay that failed for a reason other than the primary being away: counted, kept for the next round. */
    public void failed(Row row, String error) {
        main.update(COMMENT_SPOOL)
                .set(COMMENT_SPOOL.ATTEMPTS, COMMENT_SPOOL.ATTEMPTS.plus(1))
                .set(COMMENT_SPOOL.LAST_ERROR, error.length() > 500 ? error.substring(0, 500) : error)
                .where(COMMENT_SPOOL.SEQ.eq(row.seq()))
                .execute();
    }

    /** The newest rows of these sites, waiting or replayed, for the console. */
    public List<Row> recent(Collection<Long> siteIds, int limit) {
        return main.selectFrom(COMMENT_SPOOL)
                .where(COMMENT_SPOOL.SITE_ID.in(siteIds))
                .orderBy(COMMENT_SPOOL.REPLAYED_AT.isNull().desc(), COMMENT_SPOOL.SEQ.desc())
                .limit(limit)
                .fetch(CommentSpool::toRow);
    }

    /** Forgets rows replayed longer than {@link #KEEP_REPLAYED} ago. */
    public int forgetReplayed() {
        return main.deleteFrom(COMMENT_SPOOL)
                .where(COMMENT_SPOOL.REPLAYED_AT.lt(DSL.field("now() - make_interval(secs => {0})", OffsetDateTime.class,
                        DSL.inline(KEEP_REPLAYED.toSeconds()))))
                .execute();
    }

    private static HttpError unavailable() {
        return HttpError.worded(503, "thread.error.spoolFull").retryingAfter(FULL_RETRY_AFTER);
    }

    private static String token() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Row toRow(Record r) {
        var s = r.into(COMMENT_SPOOL);
        return new Row(s.getSeq(), s.getSpooledId(), s.getCommentId(), s.getShard(), s.getSiteId(), s.getThreadKey(), s.getThreadUrl(),
                s.getThreadTitle(), s.getAccountId(), s.getByApiKey(),
                new CommentForm(s.getBody(), s.getParentId(), s.getGuestName(), s.getGuestEmail(),
                        s.getNotifyReplies(), s.getFollowThread()),
                s.getIp(), s.getPageUrl(), s.getViewToken(), s.getSpooledBy(), s.getSpooledAt(), s.getAttempts(),
                s.getLastError(), s.getReplayedAt(), s.getOutcome(), s.getOutcomeDetail());
    }
}
