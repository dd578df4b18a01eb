package org.parley.discussion;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.data.DatabaseUnavailable;
import org.parley.data.Ids;
import org.parley.discussion.CommentSpool.Outcome;
import org.parley.discussion.CommentSpool.Row;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes spooled comments to their shards once the primaries answer again (docs/spool.md). Every instance looks
 * every {@link #EVERY} (one statement on main, on the partial index of waiting rows, usually empty); for each shard
 * with waiting rows, the instance that takes the shard's replay lock writes them in the order they were spooled,
 * each through {@link CommentService#replay} — the normal post with its rules, spam checks, counters, cache
 * versions and notifications — under the ID the comment was given when spooled. That ID makes it exactly-once: a
 * replay that finds it already on the shard (the instance died between the shard's commit and the spool's mark)
 * only marks the row. A primary still away ends the round for that shard; nothing is marked that was not written.
 */
public final class SpoolReplay implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(1);
    static final int BATCH = 200;
    /**
     * Shards this instance replays at once. Each holds a connection to main (the rows and the shard's lock) and one
     * to its shard; four leaves the pools to visitors while the backlog of a long outage clears about four times
     * faster than shard after shard (the primary-down drill, docs/operations.md).
     */
    static final int PARALLEL_SHARDS = 4;
    /** A row that fails this often for a reason other than an outage is refused, so it cannot block its shard. */
    static final int MAX_ATTEMPTS = 5;
    private static final Duration FORGET_EVERY = Duration.ofMinutes(10);
    public static final String WAITING = "parley.spool.waiting_comments";
    public static final String OLDEST_AGE = "parley.spool.oldest_age_seconds";
    public static final String REPLAYED = "parley.spool.replayed_total";
    public static final String REFUSED = "parley.spool.refused_total";
    private static final Logger log = LoggerFactory.getLogger(SpoolReplay.class);

    private final CommentSpool spool;
    private final CommentService service;
    private final ThreadRepository threads;
    private final SiteRepository sites;
    private final AccountRepository accounts;
    private final Clock clock;
    private final Counter replayed;
    private final Counter refused;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("spool-replay").factory());
    private volatile CommentSpool.Depth depth = CommentSpool.Depth.EMPTY;
    private volatile boolean mainAway;
    private long lastForget;

    public SpoolReplay(CommentSpool spool, CommentService service, ThreadRepository threads, SiteRepository sites,
                       AccountRepository accounts, MetricRegistry metrics, Clock clock) {
        this.spool = spool;
        this.service = service;
        this.threads = threads;
        this.sites = sites;
        this.accounts = accounts;
        this.clock = clock;
        this.replayed = metrics.counter(REPLAYED);
        this.refused = metrics.counter(REFUSED);
        metrics.register(WAITING, (Gauge<Long>) () -> depth.waiting());
        metrics.register(OLDEST_AGE, (Gauge<Double>) () -> depth.oldestAgeSeconds()); // as of the last round
    }

    public SpoolReplay start() {
        scheduler.scheduleWithFixedDelay(this::round, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One look: the depth for the gauges, then each shard with waiting rows. Public for tests and commands. */
    public void round() {
        try {
            depth = spool.depth();
            if (mainAway) {
                log.info("The comment spool is readable again");
                mainAway = false;
            }
            replayShards(depth.perShard().keySet());
            if (clock.millis() - lastForget > FORGET_EVERY.toMillis()) {
                lastForget = clock.millis();
                spool.forgetReplayed();
            }
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.causeOf(e).isPresent()) {
                if (!mainAway) {
                    log.warn("The comment spool cannot be read (main is away): replay waits for it");
                    mainAway = true;
                }
                return;
            }
            log.error("Spool replay failed this round", e);
        }
    }

    /**
     * Replays these shards, up to {@link #PARALLEL_SHARDS} at once, and returns when all are done. A shard whose
     * replay fails does not stop the others: its rows wait for the next round.
     */
    private void replayShards(java.util.Collection<Integer> shards) {
        var permits = new java.util.concurrent.Semaphore(PARALLEL_SHARDS);
        try (var each = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int shard : shards) {
                each.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        replayShard(shard);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
    }

    private void replayShard(int shard) {
        try {
            spool.replay(shard, BATCH, this::replayOne).ifPresent(marked -> {
                if (marked > 0) {
                    log.info("Replayed {} spooled comments to shard {}", marked, shard);
                }
            });
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.causeOf(e).isEmpty()) {
                log.error("Spool replay of shard {} failed this round", shard, e);
            }
        }
    }

    /** Writes one row; empty when its shard's primary is still away (the round for this shard ends). */
    private Optional<Outcome> replayOne(Row row) {
        try {
            Site site = sites.byId(row.siteId()).orElse(null);
            if (site == null) {
                return refuse(row, "The site no longer exists.");
            }
            Account viewer = null;
            if (row.accountId() != null) {
                viewer = accounts.byId(row.accountId()).orElse(null);
                if (viewer == null) {
                    return refuse(row, "The author's account no longer exists.");
                }
            }
            // a thread the comment starts is given an ID just before the comment's: a thread's comments are younger
            CommentThread thread = row.threadUrl() != null
                    ? threads.findOrCreate(site.id(), row.threadKey(), row.threadUrl(),
                            row.threadTitle() == null ? "" : row.threadTitle(), Ids.justBefore(row.commentId()))
                    : threads.find(site.id(), row.threadKey()).orElse(null);
            if (thread == null) {
                return refuse(row, "No such discussion.");
            }
            // started by a view after the primary came back, the thread is younger than the comment: renumber it
            long id = thread.id() < row.commentId() ? row.commentId() : spool.renumber(row, thread.id());
            var posted = service.replay(row.byApiKey() ? site.takingGuests() : site, thread, viewer, row.form(),
                    row.ip(), new CommentService.Spooled(id, row.spooledAt()));
            replayed.inc();
            return Optional.of(new Outcome(outcome(posted.state()), null));
        } catch (HttpError e) {
            // a rule or the thread's state refuses it — unless a racing replay wrote it after all
            return alreadyStored(row).or(() -> refuse(row, e.getMessage()));
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.causeOf(e).isPresent()) {
                return Optional.empty();
            }
            Optional<Outcome> stored = alreadyStored(row);
            if (stored.isPresent()) {
                return stored;
            }
            log.warn("A spooled comment ({}) could not be replayed (attempt {}): {}", row.commentId(),
                    row.attempts() + 1, e.toString());
            if (row.attempts() + 1 >= MAX_ATTEMPTS) {
                return refuse(row, "It could not be written: " + e.getMessage());
            }
            spool.failed(row, e.toString());
            return Optional.empty();
        }
    }

    private Optional<Outcome> alreadyStored(Row row) {
        try {
            return service.stored(row.commentId()).map(posted -> new Outcome(outcome(posted.state()), null));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Outcome> refuse(Row row, String reason) {
        refused.inc();
        log.info("A spooled comment ({}) was refused at replay: {}", row.commentId(), reason);
        return Optional.of(new Outcome("refused", reason.length() > 500 ? reason.substring(0, 500) : reason));
    }

    private static String outcome(CommentView.State state) {
        return switch (state) {
            case APPROVED -> "approved";
            case SPAM -> "spam";
            default -> "pending";
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
