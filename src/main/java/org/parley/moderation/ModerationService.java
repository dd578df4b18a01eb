package org.parley.moderation;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.parley.account.Account;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.discussion.CommentView.State;
import org.parley.discussion.NotificationEvents;
import org.parley.discussion.WebhookEvents;
import org.parley.site.EventType;
import org.parley.discussion.ThreadVersions;
import org.parley.discussion.ThreadWrites;
import org.parley.web.HttpError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.parley.db.main.Tables.KNOWN_AUTHOR;
import static org.parley.db.shard.Tables.COMMENT;

/**
 * Moderation actions on one comment. Each names the state the moderator saw ({@code expected}); if another
 * moderator changed the comment meanwhile the action is refused with the current state instead of overwriting
 * it. The state change and every counter it moves (thread count, parent's reply count) are one transaction on
 * the shard through {@link ThreadWrites}, the write path visitors' writes take too; the audit entry follows in the main schema right after (a different database, so not the same
 * transaction: a crash between the two loses the entry, never the action — see docs/moderation.md).
 */
public final class ModerationService {

    /** What a moderator can do to a comment, and the state it leads to. */
    public enum Action {
        APPROVE(State.APPROVED), REJECT(State.DELETED), SPAM(State.SPAM), RESTORE(State.APPROVED),
        /** Back to the pending queue: what undoing the approval of a pending comment does. */
        HOLD(State.PENDING);

        /** The action that puts a comment back into {@code state}: the undo of whatever moved it away. */
        public static Action returningTo(State state) {
            return switch (state) {
                case APPROVED -> APPROVE;
                case PENDING -> HOLD;
                case SPAM -> SPAM;
                case DELETED -> REJECT;
            };
        }

        private final State result;

        Action(State result) {
            this.result = result;
        }

        public State result() {
            return result;
        }

        public static Action parse(String text) {
            for (Action a : values()) {
                if (a.name().equalsIgnoreCase(text)) {
                    return a;
                }
            }
            throw HttpError.worded(404, "console.error.noAction");
        }

        public String urlValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The outcome, for showing in place and for undo. */
    public record Done(long commentId, long siteId, State before, State after, Long authorAccountId) {
    }

    /** The most comments one selection may act on: a queue page's worth. */
    public static final int MAX_SELECTION = ReviewQueue.PAGE_SIZE;

    private final Databases databases;
    private final ThreadWrites writes;
    private final AuditLog audit;
    private final WebhookEvents events;

    public ModerationService(Databases databases, ThreadVersions versions) {
        this(databases, versions, WebhookEvents.NONE);
    }

    public ModerationService(Databases databases, ThreadVersions versions, WebhookEvents events) {
        this.databases = databases;
        this.events = events;
        this.writes = new ThreadWrites(databases, versions);
        this.audit = new AuditLog(databases.main());
    }

    /** One comment of a selection: the state the moderator saw, and what to do with it. */
    public record Step(long commentId, State expected, Action action) {
    }

    /** A selected comment left alone because it was no longer in the state the moderator saw. */
    public record Stale(long commentId, State expected, State current) {
    }

    /** What acting on a selection did: the comments changed, and the ones another moderator changed first. */
    public record Selection(List<Done> applied, List<Stale> stale) {
    }

    public Done act(Account moderator, Set<Long> moderatedSites, long commentId, Action action, State expected) {
        return act(AuditLog.Actor.of(moderator), moderatedSites, commentId, action, expected);
    }

    /** The same for any actor: a moderator, or an API key with the moderate scope (audited as the key). */
    public Done act(AuditLog.Actor actor, Set<Long> moderatedSites, long commentId, Action action, State expected) {
        Attempt attempt = attempt(actor, moderatedSites, commentId, action, expected);
        if (attempt.stale() != null) {
            throw HttpError.worded(409, "console.error.commentMeanwhile",
                    attempt.stale().current().column());
        }
        return attempt.done();
    }

    /**
     * Acts on each comment of a selection. First every id is checked to be a comment of one of the moderator's
     * sites (one statement per shard the selection touches): a single forged or unknown id refuses the whole
     * selection with nothing changed. Then each comment is acted on in its own transaction, with the state the
     * moderator saw: those another moderator changed meanwhile are left alone and reported with their current
     * state, the rest are applied.
     */
    public Selection actOn(Account moderator, Set<Long> moderatedSites, List<Step> steps) {
        if (steps.isEmpty()) {
            throw HttpError.wordedField(400, "select", "console.error.selectOne");
        }
        if (steps.size() > MAX_SELECTION) {
            throw HttpError.wordedField(400, "select", "console.error.selectMax", MAX_SELECTION);
        }
        // a comment sent twice is acted on once (the second would only find its own first change "stale")
        Map<Long, Step> unique = new java.util.LinkedHashMap<>();
        steps.forEach(step -> unique.putIfAbsent(step.commentId(), step));
        requireAllModerated(moderatedSites, List.copyOf(unique.keySet()));
        List<Done> applied = new ArrayList<>();
        List<Stale> stale = new ArrayList<>();
        for (Step step : unique.values()) {
            Attempt attempt = attempt(AuditLog.Actor.of(moderator), moderatedSites, step.commentId(), step.action(),
                    step.expected());
            if (attempt.stale() != null) {
                stale.add(attempt.stale());
            } else {
                applied.add(attempt.done());
            }
        }
        return new Selection(applied, stale);
    }

    private void requireAllModerated(Set<Long> moderatedSites, List<Long> ids) {
        Map<Integer, List<Long>> byShard = new TreeMap<>();
        for (long id : ids) {
            if (!databases.holds(id)) {
                throw notModerated(id);
            }
            byShard.computeIfAbsent(Ids.shardOf(id), s -> new ArrayList<>()).add(id);
        }
        for (var shard : byShard.entrySet()) {
            Map<Long, Long> siteOf = databases.write(shard.getKey())
                    .select(COMMENT.ID, COMMENT.SITE_ID)
                    .from(COMMENT)
                    .where(COMMENT.ID.in(shard.getValue()))
                    .fetchMap(COMMENT.ID, COMMENT.SITE_ID);
            for (long id : shard.getValue()) {
                Long site = siteOf.get(id);
                if (site == null || !moderatedSites.contains(site)) {
                    throw notModerated(id);
                }
            }
        }
    }

    /** What a site's webhooks hear of a moderator's move (docs/webhooks.md); a move back to pending is not news. */
    private static java.util.Optional<EventType> eventOf(State from, State to) {
        boolean removed = to == State.DELETED || to == State.SPAM;
        if (to == State.APPROVED) {
            return java.util.Optional.of(EventType.COMMENT_APPROVED);
        }
        if (removed && from == State.PENDING) {
            return java.util.Optional.of(EventType.COMMENT_REJECTED);
        }
        if (removed && from == State.APPROVED) {
            return java.util.Optional.of(EventType.COMMENT_DELETED);
        }
        return java.util.Optional.empty();
    }

    private static HttpError notModerated(long id) {
        // the same answer for a comment that does not exist and one on a site the viewer does not moderate
        return HttpError.worded(404, "console.error.notModerated", Long.toString(id));
    }

    /** Either the action's outcome, or (stale non-null) the state another moderator left the comment in. */
    private record Attempt(Done done, Stale stale) {
    }

    private Attempt attempt(AuditLog.Actor moderator, Set<Long> moderatedSites, long commentId, Action action,
                            State expected) {
        if (!databases.holds(commentId)) {
            throw HttpError.worded(404, "console.error.noComment");
        }
        Attempt attempt = writes.on(Ids.shardOf(commentId), write -> {
            DSLContext dsl = write.dsl();
            var row = dsl.select(COMMENT.SITE_ID, COMMENT.THREAD_ID, COMMENT.PARENT_ID, COMMENT.STATE, COMMENT.SHADOW,
                            COMMENT.AUTHOR_ACCOUNT_ID)
                    .from(COMMENT)
                    .where(COMMENT.ID.eq(commentId))
                    .forUpdate()
                    .fetchOptional()
                    .orElseThrow(() -> HttpError.worded(404, "console.error.noComment"));
            long siteId = row.get(COMMENT.SITE_ID);
            if (!moderatedSites.contains(siteId)) {
                // the same answer as a missing comment: no hint that it exists on a site you do not moderate
                throw HttpError.worded(404, "console.error.noComment");
            }
            State current = State.of(row.get(COMMENT.STATE));
            if (expected != null && current != expected) {
                return new Attempt(null, new Stale(commentId, expected, current));
            }
            State next = action.result();
            if (current == next) {
                return new Attempt(new Done(commentId, siteId, current, next, row.get(COMMENT.AUTHOR_ACCOUNT_ID)), null);
            }
            dsl.update(COMMENT)
                    .set(COMMENT.STATE, next.column())
                    // the first action only: statistics measure how long comments wait for a moderator
                    .set(COMMENT.FIRST_MODERATED_AT, DSL.coalesce(COMMENT.FIRST_MODERATED_AT, DSL.currentOffsetDateTime()))
                    .set(COMMENT.FIRST_MODERATED_FROM, DSL.coalesce(COMMENT.FIRST_MODERATED_FROM, DSL.val(current.column())))
                    .where(COMMENT.ID.eq(commentId))
                    .execute();
            // a shadow comment never counts, whatever its state (see CommentService.post)
            int visibleDelta = row.get(COMMENT.SHADOW) ? 0
                    : (next == State.APPROVED ? 1 : 0) - (current == State.APPROVED ? 1 : 0);
            int replyDelta = (next == State.DELETED ? -1 : 0) + (current == State.DELETED ? 1 : 0);
            Long parent = row.get(COMMENT.PARENT_ID);
            if (parent != null) {
                write.changeReplyCount(parent, replyDelta);
            }
            write.bump(row.get(COMMENT.THREAD_ID), visibleDelta);
            // a held comment made public now is news now: its parent's author, or the thread's followers, hear of
            // it as they would have at posting (the courier decides who, as for any notification)
            if (current == State.PENDING && next == State.APPROVED && !row.get(COMMENT.SHADOW)) {
                if (parent != null) {
                    NotificationEvents.reply(dsl, commentId, parent);
                } else if (write.followers(row.get(COMMENT.THREAD_ID)) > 0) {
                    NotificationEvents.thread(dsl, commentId);
                }
            }
            eventOf(current, next).ifPresent(type -> events.comment(dsl, siteId, type, commentId, next));
            return new Attempt(new Done(commentId, siteId, current, next, row.get(COMMENT.AUTHOR_ACCOUNT_ID)), null);
        });
        if (attempt.stale() != null) {
            return attempt;
        }
        Done done = attempt.done();
        if (done.before() != done.after()) {
            audit.record(moderator, done.siteId(), action.urlValue(), "comment:" + commentId,
                    done.before().column(), done.after().column());
        }
        if (done.after() == State.APPROVED && done.authorAccountId() != null) {
            // a moderator accepted this author here once: first-comment-is-pending no longer holds them
            databases.main().insertInto(KNOWN_AUTHOR, KNOWN_AUTHOR.SITE_ID, KNOWN_AUTHOR.ACCOUNT_ID)
                    .values(done.siteId(), done.authorAccountId())
                    .onConflictDoNothing()
                    .execute();
        }
        return attempt;
    }
}
