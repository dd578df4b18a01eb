package org.parley.discussion;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.data.Databases;
import org.parley.data.RenderedOnce;
import org.parley.data.ShardRouter;
import org.parley.db.shard.Routines;

import java.util.Optional;

import static org.parley.db.shard.Tables.THREAD;

/** Threads, each in shard hash(site, key): found without any lookup table. */
public final class ThreadRepository {
    private final Databases databases;
    private final ShardRouter router;
    private final WebhookEvents events;

    public ThreadRepository(Databases databases) {
        this(databases, WebhookEvents.NONE);
    }

    public ThreadRepository(Databases databases, WebhookEvents events) {
        this.databases = databases;
        this.events = events;
        this.router = new ShardRouter(databases.shardMap().shardCount());
    }

    /** The logical shard that holds (or will hold) the thread of {@code key}: known without reading anything. */
    public int shardOf(long siteId, String key) {
        return router.shardOf(siteId, key);
    }

    /**
     * The thread, read where reads go. A replica's "no such thread" is not the last word: another visitor's first
     * view may have created it a moment ago, before the replica replayed it. So a miss on a replica asks the
     * primary, and the rest of the request reads there too (its comments must not come from the older copy). That
     * costs one statement more, only with replicas, only for threads that are new or do not exist.
     */
    public Optional<CommentThread> find(long siteId, String key) {
        int shard = router.shardOf(siteId, key);
        Optional<CommentThread> found = find(databases.read(shard), siteId, key);
        if (found.isPresent() || databases.replicas().isEmpty()) {
            return found;
        }
        return find(databases.readPrimaryFromNowOn(shard), siteId, key);
    }

    /** Every page's thread lookup: rendered once per shard (RenderedOnce), only the columns toThread reads. */
    private static final RenderedOnce<Record> FIND = RenderedOnce.query("ThreadRepository.find",
            () -> DSL.select(THREAD.ID, THREAD.SITE_ID, THREAD.KEY, THREAD.URL, THREAD.TITLE, THREAD.COMMENT_COUNT,
                            THREAD.LAST_ACTIVITY_AT, THREAD.CLOSED, THREAD.LOCKED, THREAD.VERSION)
                    .from(THREAD)
                    .where(THREAD.SITE_ID.eq(RenderedOnce.slot(THREAD.SITE_ID)))
                    .and(THREAD.KEY.eq(RenderedOnce.slot(THREAD.KEY))));

    private static Optional<CommentThread> find(DSLContext db, long siteId, String key) {
        return FIND.fetchOptional(db, siteId, key).map(ThreadRepository::toThread);
    }

    /** By ID: the ID names the shard. */
    public Optional<CommentThread> byId(DSLContext shard, long id) {
        return shard.selectFrom(THREAD).where(THREAD.ID.eq(id)).fetchOptional().map(ThreadRepository::toThread);
    }

    /**
     * The thread for (site, key), created if it does not exist yet. Two first visitors at once both end up with
     * the same row: the insert yields to the unique key and the loser reads the winner's row.
     */
    public CommentThread findOrCreate(long siteId, String key, String url, String title) {
        return findOrCreate(siteId, key, url, title, null);
    }

    /**
     * The same, a new thread taking {@code id} (null: the shard's next) — the replay of a spooled comment gives it
     * one older than the comment, since a thread's comments all have larger IDs than it (CommentRepository).
     */
    public CommentThread findOrCreate(long siteId, String key, String url, String title, Long id) {
        Optional<CommentThread> existing = find(siteId, key);
        if (existing.isPresent()) {
            return existing.get();
        }
        DSLContext shard = databases.write(router.shardOf(siteId, key));
        var hooks = events.prepare(siteId);
        // the webhook event commits with the row, and only the visitor whose insert won records it
        shard.transaction(tx -> tx.dsl().insertInto(THREAD, THREAD.ID, THREAD.SITE_ID, THREAD.KEY, THREAD.URL,
                        THREAD.TITLE)
                .values(id == null ? Routines.nextId() : DSL.val(id), DSL.val(siteId), DSL.val(key), DSL.val(url),
                        DSL.val(title))
                .onConflict(THREAD.SITE_ID, THREAD.KEY)
                .doNothing()
                .returning(THREAD.ID)
                .fetchOptional()
                .ifPresent(created -> events.thread(tx.dsl(), hooks, created.getId())));
        // read from the primary: a replica may not have the row yet
        return toThread(shard.selectFrom(THREAD)
                .where(THREAD.SITE_ID.eq(siteId))
                .and(THREAD.KEY.eq(key))
                .fetchSingle());
    }

    /** Where a thread's comments are read from: a replica that has the viewer's last write, else the primary. */
    public DSLContext reader(CommentThread thread) {
        return reader(thread.id());
    }

    /**
     * Where a writer reads back what it just wrote (where its comment landed): the shard's primary, so the answer to
     * a write never waits for, or fails with, a replica.
     */
    public DSLContext primary(CommentThread thread) {
        return databases.write(thread.shard());
    }

    /** The same, knowing only the thread's id, which names its shard. */
    public DSLContext reader(long threadId) {
        return databases.read(org.parley.data.Ids.shardOf(threadId));
    }

    static CommentThread toThread(Record r) {
        return new CommentThread(r.get(THREAD.ID), r.get(THREAD.SITE_ID), r.get(THREAD.KEY), r.get(THREAD.URL),
                r.get(THREAD.TITLE), r.get(THREAD.COMMENT_COUNT), r.get(THREAD.LAST_ACTIVITY_AT), r.get(THREAD.CLOSED),
                r.get(THREAD.LOCKED), r.get(THREAD.VERSION));
    }
}
