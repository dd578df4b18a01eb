package org.parley.moderation;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.parley.account.Account;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentService;
import org.parley.discussion.ThreadVersions;
import org.parley.discussion.ThreadWrites;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.DisplayText;
import org.parley.web.HttpError;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.COMMENT_REVISION;
import static org.parley.db.shard.Tables.FLAG;
import static org.parley.db.shard.Tables.THREAD;

/**
 * Moderation of content rather than of a comment's state: editing a comment's text (every version kept), pinning
 * a comment, and closing or locking a thread. Like {@link ModerationService}, each action names what the moderator
 * saw and is refused with the current value if another moderator (or the author) changed it meanwhile; each is one
 * transaction on the shard that bumps the thread's version (so no cached page survives it), then one audit entry.
 */
public final class ContentModeration {
    /** Longest before/after text kept in an audit entry; the full texts are in comment_revision. */
    static final int AUDIT_TEXT = 500;

    /** A thread's state as moderators set it: locked implies closed. */
    public enum ThreadState {
        OPEN, CLOSED, LOCKED;

        static ThreadState of(boolean closed, boolean locked) {
            return locked ? LOCKED : closed ? CLOSED : OPEN;
        }

        /** The action that leads here ({@code open}, {@code close}, {@code lock}): also the undo's. */
        public String action() {
            return switch (this) {
                case OPEN -> "open";
                case CLOSED -> "close";
                case LOCKED -> "lock";
            };
        }

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static ThreadState parseAction(String action) {
            for (ThreadState s : values()) {
                if (s.action().equals(action)) {
                    return s;
                }
            }
            throw HttpError.worded(404, "console.error.noAction");
        }

        static ThreadState parse(String text, String field) {
            for (ThreadState s : values()) {
                if (s.column().equals(text)) {
                    return s;
                }
            }
            throw HttpError.badRequest("A thread is open, closed or locked, not '" + text + "'.", field);
        }
    }

    /** One version of a comment's text; {@code bodyHtml} was sanitised when it was written. */
    public record Revision(int number, String bodySource, String bodyHtml, Long writtenBy, boolean moderator,
                           OffsetDateTime at) {
    }

    /** What the edit page shows: the current text and every earlier version, newest first. */
    public record Editable(long commentId, long siteId, String threadKey, String authorName, String bodySource,
                           int latestRevision, List<Revision> history) {
    }

    private final Databases databases;
    private final ThreadWrites writes;
    private final SiteRepository sites;
    private final CommentRepository comments = new CommentRepository();
    private final AuditLog audit;

    public ContentModeration(Databases databases, ThreadVersions versions, SiteRepository sites) {
        this.databases = databases;
        this.writes = new ThreadWrites(databases, versions);
        this.sites = sites;
        this.audit = new AuditLog(databases.main());
    }

    /** The comment and its history: two statements on its shard. */
    public Editable editable(Set<Long> mine, long commentId) {
        DSLContext shard = databases.write(shardOf(commentId, "comment"));
        var row = shard.select(COMMENT.SITE_ID, THREAD.KEY, COMMENT.AUTHOR_NAME, COMMENT.BODY_SOURCE)
                .from(COMMENT)
                .join(THREAD).on(THREAD.ID.eq(COMMENT.THREAD_ID))
                .where(COMMENT.ID.eq(commentId))
                .fetchOptional()
                .filter(r -> mine.contains(r.get(COMMENT.SITE_ID)))
                .orElseThrow(ContentModeration::noSuchComment);
        List<Revision> history = shard.select(COMMENT_REVISION.REVISION, COMMENT_REVISION.BODY_SOURCE,
                        COMMENT_REVISION.BODY_HTML, COMMENT_REVISION.WRITTEN_BY, COMMENT_REVISION.MODERATOR,
                        COMMENT_REVISION.CREATED_AT)
                .from(COMMENT_REVISION)
                .where(COMMENT_REVISION.COMMENT_ID.eq(commentId))
                .orderBy(COMMENT_REVISION.REVISION.desc())
                .fetch(r -> new Revision(r.get(COMMENT_REVISION.REVISION), r.get(COMMENT_REVISION.BODY_SOURCE),
                        r.get(COMMENT_REVISION.BODY_HTML), r.get(COMMENT_REVISION.WRITTEN_BY),
                        r.get(COMMENT_REVISION.MODERATOR), r.get(COMMENT_REVISION.CREATED_AT)));
        return new Editable(commentId, row.get(COMMENT.SITE_ID), row.get(THREAD.KEY), row.get(COMMENT.AUTHOR_NAME),
                row.get(COMMENT.BODY_SOURCE), history.isEmpty() ? -1 : history.getFirst().number(), history);
    }

    /**
     * Replaces the comment's text, keeping the one it replaces. {@code seen} is the latest revision number the
     * moderator's page showed (-1: none): any edit since, by the author or another moderator, refuses this one.
     *
     * @param restore a revision to bring back instead of {@code body}, or null
     * @return the new revision's number
     */
    public int edit(Account moderator, Set<Long> mine, long commentId, int seen, String body, Integer restore) {
        int shard = shardOf(commentId, "comment");
        record Edited(int revision, long siteId, String before, String source) {
        }
        Edited edited = writes.on(shard, write -> {
            DSLContext dsl = write.dsl();
            var row = dsl.select(COMMENT.SITE_ID, COMMENT.THREAD_ID, COMMENT.BODY_SOURCE)
                    .from(COMMENT)
                    .where(COMMENT.ID.eq(commentId))
                    .forUpdate()
                    .fetchOptional()
                    .filter(r -> mine.contains(r.get(COMMENT.SITE_ID)))
                    .orElseThrow(ContentModeration::noSuchComment);
            Integer latest = dsl.select(org.jooq.impl.DSL.max(COMMENT_REVISION.REVISION))
                    .from(COMMENT_REVISION)
                    .where(COMMENT_REVISION.COMMENT_ID.eq(commentId))
                    .fetchOne(0, Integer.class);
            int current = latest == null ? -1 : latest;
            if (current != seen) {
                throw HttpError.worded(409, "console.error.editedMeanwhile",
                        Long.toString(current));
            }
            String source;
            if (restore != null) {
                source = dsl.select(COMMENT_REVISION.BODY_SOURCE)
                        .from(COMMENT_REVISION)
                        .where(COMMENT_REVISION.COMMENT_ID.eq(commentId))
                        .and(COMMENT_REVISION.REVISION.eq(restore))
                        .fetchOptional(COMMENT_REVISION.BODY_SOURCE)
                        .orElseThrow(() -> HttpError.badRequest("This comment has no revision " + restore + ".",
                                "restore"));
            } else {
                source = DisplayText.cleanBody(body == null ? "" : body).strip();
            }
            Site site = sites.byId(row.get(COMMENT.SITE_ID)).orElseThrow(ContentModeration::noSuchComment);
            String html = CommentService.renderChecked(site, source);
            int revision = comments.keepRevision(dsl, commentId, source, html, moderator.id(), true);
            comments.updateBody(dsl, commentId, source, html);
            write.touch(row.get(COMMENT.THREAD_ID), 0);
            return new Edited(revision, row.get(COMMENT.SITE_ID), row.get(COMMENT.BODY_SOURCE), source);
        });
        audit.record(moderator, edited.siteId(), restore == null ? "edit" : "restore-revision", "comment:" + commentId,
                shorten(edited.before()), shorten(edited.source()));
        return edited.revision();
    }

    /**
     * Pins ({@code pin}) or unpins a top-level comment; {@code expected} is whether the moderator saw it pinned.
     * A thread holds at most {@link CommentRepository#MAX_PINNED} pinned comments.
     *
     * @return the site, for the caller's notice
     */
    public long pin(Account moderator, Set<Long> mine, long commentId, boolean pin, Boolean expected) {
        int shard = shardOf(commentId, "comment");
        record Pinned(long siteId, boolean changed) {
        }
        Pinned result = writes.on(shard, write -> {
            DSLContext dsl = write.dsl();
            var row = dsl.select(COMMENT.SITE_ID, COMMENT.THREAD_ID, COMMENT.PINNED, COMMENT.DEPTH)
                    .from(COMMENT)
                    .where(COMMENT.ID.eq(commentId))
                    .forUpdate()
                    .fetchOptional()
                    .filter(r -> mine.contains(r.get(COMMENT.SITE_ID)))
                    .orElseThrow(ContentModeration::noSuchComment);
            boolean pinned = row.get(COMMENT.PINNED);
            if (expected != null && pinned != expected) {
                throw HttpError.worded(409, "console.error.pinnedMeanwhile",
                        pinned ? "pinned" : "unpinned");
            }
            if (pinned == pin) {
                return new Pinned(row.get(COMMENT.SITE_ID), false);
            }
            long threadId = row.get(COMMENT.THREAD_ID);
            if (pin) {
                if (row.get(COMMENT.DEPTH) != 0) {
                    throw HttpError.worded(409, "console.error.pinReply");
                }
                // the thread row is locked first, so two moderators pinning in one thread take turns
                dsl.selectOne().from(THREAD).where(THREAD.ID.eq(threadId)).forUpdate().execute();
                int already = dsl.fetchCount(COMMENT, COMMENT.THREAD_ID.eq(threadId).and(COMMENT.PINNED.isTrue())
                        .and(COMMENT.ID.ge(threadId)));
                if (already >= CommentRepository.MAX_PINNED) {
                    throw HttpError.worded(409, "console.error.pinLimit", already);
                }
            }
            dsl.update(COMMENT).set(COMMENT.PINNED, pin).where(COMMENT.ID.eq(commentId)).execute();
            write.touch(threadId, 0);
            return new Pinned(row.get(COMMENT.SITE_ID), true);
        });
        if (result.changed()) {
            audit.record(moderator, result.siteId(), pin ? "pin" : "unpin", "comment:" + commentId,
                    pin ? "unpinned" : "pinned", pin ? "pinned" : "unpinned");
        }
        return result.siteId();
    }

    /**
     * Dismisses a comment's open reports (the comment stays as it is and leaves the flagged queue), or reopens the
     * ones dismissed before (an undo). {@code expectedOpen} is what the moderator saw: whether it had open reports
     * (null: not checked). The reports themselves are kept either way.
     *
     * @return the comment's site
     */
    public long reports(Account moderator, Set<Long> mine, long commentId, boolean dismiss, Boolean expectedOpen) {
        int shard = shardOf(commentId, "comment");
        record Reviewed(long siteId, int changed) {
        }
        Reviewed result = writes.on(shard, write -> {
            DSLContext dsl = write.dsl();
            var row = dsl.select(COMMENT.SITE_ID, COMMENT.FLAG_COUNT)
                    .from(COMMENT)
                    .where(COMMENT.ID.eq(commentId))
                    .forUpdate()
                    .fetchOptional()
                    .filter(r -> mine.contains(r.get(COMMENT.SITE_ID)))
                    .orElseThrow(ContentModeration::noSuchComment);
            boolean open = row.get(COMMENT.FLAG_COUNT) > 0;
            if (expectedOpen != null && open != expectedOpen) {
                throw HttpError.worded(409, "console.error.reportsMeanwhile",
                        open ? "reopen" : "dismiss");
            }
            int changed = dsl.update(FLAG)
                    .set(FLAG.DISMISSED_AT, dismiss ? DSL.currentOffsetDateTime() : DSL.castNull(FLAG.DISMISSED_AT.getDataType()))
                    .where(FLAG.COMMENT_ID.eq(commentId))
                    .and(dismiss ? FLAG.DISMISSED_AT.isNull() : FLAG.DISMISSED_AT.isNotNull())
                    .execute();
            dsl.update(COMMENT)
                    .set(COMMENT.FLAG_COUNT, DSL.field(DSL.selectCount().from(FLAG)
                            .where(FLAG.COMMENT_ID.eq(commentId)).and(FLAG.DISMISSED_AT.isNull())))
                    .where(COMMENT.ID.eq(commentId))
                    .execute();
            return new Reviewed(row.get(COMMENT.SITE_ID), changed);
        });
        if (result.changed() > 0) {
            audit.record(moderator, result.siteId(), dismiss ? "dismiss-reports" : "reopen-reports",
                    "comment:" + commentId, dismiss ? "open" : "dismissed", dismiss ? "dismissed" : "open");
        }
        return result.siteId();
    }

    /** Opens, closes or locks a thread; {@code expected} is the state the moderator saw (null: not checked). */
    public ThreadState setThread(Account moderator, Set<Long> mine, long threadId, ThreadState target,
                                 ThreadState expected) {
        int shard = shardOf(threadId, "thread");
        record Changed(long siteId, ThreadState before) {
        }
        Changed changed = writes.on(shard, write -> {
            DSLContext dsl = write.dsl();
            var row = dsl.select(THREAD.SITE_ID, THREAD.CLOSED, THREAD.LOCKED)
                    .from(THREAD)
                    .where(THREAD.ID.eq(threadId))
                    .forUpdate()
                    .fetchOptional()
                    .filter(r -> mine.contains(r.get(THREAD.SITE_ID)))
                    .orElseThrow(() -> HttpError.worded(404, "console.error.noThread"));
            ThreadState current = ThreadState.of(row.get(THREAD.CLOSED), row.get(THREAD.LOCKED));
            if (expected != null && current != expected) {
                throw HttpError.worded(409, "console.error.threadMeanwhile",
                        current.column());
            }
            if (current != target) {
                write.bump(threadId, 0, Map.of(THREAD.CLOSED, target != ThreadState.OPEN,
                        THREAD.LOCKED, target == ThreadState.LOCKED));
            }
            return new Changed(row.get(THREAD.SITE_ID), current);
        });
        if (changed.before() != target) {
            audit.record(moderator, changed.siteId(), target.action(), "thread:" + threadId,
                    changed.before().column(), target.column());
        }
        return changed.before();
    }

    private int shardOf(long id, String what) {
        if (!databases.holds(id)) {
            throw HttpError.notFound("This " + what + " does not exist.");
        }
        return Ids.shardOf(id);
    }

    private static String shorten(String text) {
        return text.length() <= AUDIT_TEXT ? text : text.substring(0, AUDIT_TEXT - 1) + "…";
    }

    private static HttpError noSuchComment() {
        // the same answer for a comment on a site the moderator does not moderate: forged ids learn nothing
        return HttpError.worded(404, "console.error.noComment");
    }
}
