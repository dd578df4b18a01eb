package org.parley.discussion;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import org.parley.account.Account;
import org.parley.cache.Cache;
import org.parley.cache.CacheKeys;
import org.parley.data.DatabaseUnavailable;
import org.parley.data.NotCommitted;
import org.parley.site.Site;

/**
 * When a post goes to the spool instead of its shard, and what it must pass first (docs/spool.md). Only a post
 * of which nothing can have been written is spooled: the circuit refused it, no connection could be opened, or
 * the connection was lost before the transaction asked to commit. A connection lost during the COMMIT may have
 * written the comment, and spooling it could store it twice, so that post still answers 503 — as does a busy
 * pool, which is load, not an outage.
 */
public final class Spooler {
    public static final String KEPT = "parley.spool.kept_total";
    private final CommentSpool spool;
    private final Cache cache;
    private final Counter kept;

    public Spooler(CommentSpool spool, Cache cache, MetricRegistry metrics) {
        this.spool = spool;
        this.cache = cache;
        this.kept = metrics.counter(KEPT);
    }

    /**
     * Whether the failure {@code e} of a post's write makes it one to spool: the primary could not be reached, or
     * the transaction lost it before its commit (the server then rolls back); never a connection lost during the
     * commit itself, which may have written the comment.
     */
    public boolean takes(Throwable e) {
        return enabled() && (DatabaseUnavailable.neverReachedTheServer(e) || NotCommitted.in(e));
    }

    /** Whether the failure {@code e} of a read before the write (the thread's row) makes the post one to spool. */
    public boolean takesAfterRead(Throwable e) {
        return enabled() && DatabaseUnavailable.connectionFailure(e);
    }

    private boolean enabled() {
        return spool.enabled();
    }

    /**
     * Checks the comment as far as can be done without its shard (CommentService.checkDraft), then keeps it; a
     * refusal (an empty body, the spool full) throws as a post would.
     */
    public CommentSpool.Ticket keep(Site site, int shard, String threadKey, String threadUrl, String threadTitle,
                                    Account viewer, boolean byApiKey, CommentForm form, String ip, String pageUrl) {
        CommentService.checkDraft(byApiKey ? site.takingGuests() : site, viewer, form);
        var ticket = spool.keep(new CommentSpool.Entry(shard, site.id(), threadKey, threadUrl, threadTitle,
                viewer == null ? null : viewer.id(), byApiKey, form, ip, pageUrl));
        kept.inc();
        if (viewer != null) {
            cache.set(waitingKey(viewer.id()), "1", CommentSpool.KEEP_REPLAYED);
        }
        return ticket;
    }

    /**
     * A member's comments on this thread that still wait in the spool, for their own view of it (ViewerOverlay
     * shows them as it shows their pending ones). Main is asked only when this member's post was spooled lately,
     * which a cache entry set by {@link #keep} says; the entry goes once nothing of theirs waits. Without a cache,
     * or after it forgot, the member still has the "saved" page they were sent to.
     */
    public java.util.List<CommentSpool.Row> waitingOn(long siteId, String threadKey, long accountId) {
        String key = waitingKey(accountId);
        if (cache.get(key).isEmpty()) {
            return java.util.List.of();
        }
        var waiting = spool.waitingBy(accountId);
        if (waiting.isEmpty()) {
            cache.delete(key);
        }
        return waiting.stream().filter(row -> row.siteId() == siteId && row.threadKey().equals(threadKey)).toList();
    }

    private static String waitingKey(long accountId) {
        return CacheKeys.of("spooled-by", accountId);
    }
}
