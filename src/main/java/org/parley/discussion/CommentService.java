package org.parley.discussion;

import org.jooq.DSLContext;
import org.parley.account.Account;
import org.parley.account.Avatars;
import org.parley.data.Databases;
import org.parley.data.HistoricalPartitions;
import org.parley.data.Ids;
import org.parley.discussion.CommentRepository.Target;
import org.parley.discussion.CommentView.State;
import org.parley.site.EventType;
import org.parley.site.Site;
import org.parley.web.DisplayText;
import org.parley.web.HttpError;

import java.time.Clock;
import java.time.Instant;

/**
 * Decides what may be written and writes it: each action is one transaction on the thread's shard primary,
 * changing the row and every denormalised counter together (comment reply count and score, thread count and
 * version), so a failure leaves nothing half-written. Every write goes through {@link ThreadWrites}, which tells
 * {@link ThreadVersions} the thread's new version after the commit, so conditional GETs stop answering 304 for
 * the old page.
 */
public final class CommentService {
    private static final int MAX_NAME = 100;
    private static final int MAX_FLAG_NOTE = 500;
    /** Why a comment can be reported; the flag table's CHECK constraint lists the same. */
    public static final java.util.List<String> FLAG_REASONS = java.util.List.of("spam", "abuse", "off_topic", "other");

    private final ThreadWrites writes;
    private final WebhookEvents events;
    private final CommentRepository comments;
    private final Clock clock;
    private final PostingRules rules;
    private final HistoricalPartitions historical;

    /** Without moderation rules (no bans, no word filters): for tools and tests. */
    public CommentService(Databases databases, CommentRepository comments, Clock clock, ThreadVersions versions) {
        this(databases, comments, clock, versions, PostingRules.NONE);
    }

    public CommentService(Databases databases, CommentRepository comments, Clock clock, ThreadVersions versions,
                          PostingRules rules) {
        this(databases, comments, clock, versions, rules, HistoricalPartitions.never(clock));
    }

    public CommentService(Databases databases, CommentRepository comments, Clock clock, ThreadVersions versions,
                          PostingRules rules, HistoricalPartitions historical) {
        this(databases, comments, clock, versions, rules, historical, WebhookEvents.NONE);
    }

    public CommentService(Databases databases, CommentRepository comments, Clock clock, ThreadVersions versions,
                          PostingRules rules, HistoricalPartitions historical, WebhookEvents events) {
        this.events = events;
        this.writes = new ThreadWrites(databases, versions);
        this.comments = comments;
        this.clock = clock;
        this.rules = rules;
        this.historical = historical;
    }

    /** Exports how posts are grouped into transactions (ThreadWrites#register). */
    public void register(com.codahale.metrics.MetricRegistry metrics) {
        writes.register(metrics);
    }

    /**
     * What posting did: the new comment's id, whether it waits for a moderator, and its top-level comment (itself,
     * or the one its thread of replies hangs from): the redirect shows that one's page.
     */
    public record Posted(long id, State state, long rootId) {
    }

    public Posted post(Site site, CommentThread thread, Account viewer, CommentForm form, String ip) {
        return post(site, thread, viewer, form, ip, null);
    }

    /**
     * What a comment must be before anything is written, whatever the thread: allowed from this viewer, a body
     * with something to show, a guest's name and email well-formed. The spool asks this before it keeps a comment
     * (CommentSpool), so the visitor hears of a mistake at once, not after the replay. Returns the sanitised HTML.
     */
    public static String checkDraft(Site site, Account viewer, CommentForm form) {
        if (viewer == null && !site.guestsAllowed()) {
            throw HttpError.worded(403, "form.guestsNotAllowed");
        }
        if (site.closed()) {
            throw HttpError.worded(403, "thread.closed");
        }
        String html = renderChecked(site, DisplayText.cleanBody(form.body()).strip());
        if (viewer == null) {
            guestName(form.guestName());
            guestEmail(form.guestEmail());
        }
        return html;
    }

    /** A comment kept by the spool: the ID it was given then, and when it was written. */
    public record Spooled(long id, java.time.OffsetDateTime writtenAt) {
    }

    /**
     * Posts a spooled comment under the ID it was given, through the same checks and transaction as any post.
     * Exactly once: if the shard already has that ID (an earlier replay committed, and then the instance died
     * before the spool heard of it), nothing is written and the comment as it is stored is returned.
     */
    public Posted replay(Site site, CommentThread thread, Account viewer, CommentForm form, String ip,
                         Spooled spooled) {
        return post(site, thread, viewer, form, ip, spooled);
    }

    /** The picture a comment by this author gets: Gravatar's while the site shows them and there is an address. */
    static String avatarKey(Site site, String email, String name) {
        return site.gravatar() && email != null ? Avatars.gravatarKeyFor(email) : Avatars.keyFor(email, name);
    }

    /** The comment with this ID as its shard's primary has it, if it is there. */
    public java.util.Optional<Posted> stored(long commentId) {
        return writes.on(Ids.shardOf(commentId), write -> comments.lock(write.dsl(), commentId)
                .map(stored -> new Posted(stored.id(), stored.state(), stored.rootId())));
    }

    private Posted post(Site site, CommentThread thread, Account viewer, CommentForm form, String ip,
                        Spooled spooled) {
        if (spooled != null) {
            var already = stored(spooled.id());
            if (already.isPresent()) {
                return already.get();
            }
        }
        checkOpen(site, thread);
        if (viewer == null && !site.guestsAllowed()) {
            throw HttpError.worded(403, "form.guestsNotAllowed");
        }
        String source = DisplayText.cleanBody(form.body()).strip();
        String html = renderChecked(site, source);
        String name = viewer != null ? viewer.displayName() : guestName(form.guestName());
        String email = viewer != null ? viewer.email() : guestEmail(form.guestEmail());
        // bans, word rules, link limits: may refuse (throws), hold for a moderator, or shadow the comment
        PostingRules.Verdict verdict = rules.check(site, viewer, email, ip, source);
        boolean premoderated = site.premoderation() && (viewer == null || !viewer.admin()) && !verdict.trusted();
        State state = verdict.spamReason() != null ? State.SPAM
                : premoderated || verdict.holdReason() != null ? State.PENDING : State.APPROVED;
        // the moderators' queue shows why a rule held it, or why it looks like spam
        String reason = verdict.spamReason() != null ? verdict.spamReason() : verdict.holdReason();
        boolean shadow = verdict.shadow();
        // replies are mailed only to an address there is: the member's account address, the guest's given one
        boolean notify = form.notifyReplies() && email != null;

        var hooks = events.prepare(thread.siteId());
        // posts meet on a popular thread: those that do are committed together (GroupCommit)
        return writes.onThread(thread.shard(), thread.id(), write -> {
            DSLContext dsl = write.dsl();
            Target parent = form.parentId() == null ? null : replyTarget(dsl, thread, form.parentId());
            // a spooled comment keeps the id it was acknowledged with; a new one's is minted by its insert
            long id = comments.insert(dsl, spooled == null ? null : spooled.writtenAt(), new NewComment(
                    spooled == null ? null : spooled.id(), thread.id(), thread.siteId(),
                    parent == null ? null : new NewComment.Parent(parent.id(), parent.rootId(), parent.path(),
                            parent.depth()),
                    viewer == null ? null : viewer.id(), name, viewer == null ? email : null,
                    avatarKey(site, email, name), source, html, state, shadow, reason, ip, notify));
            if (parent != null) {
                write.changeReplyCount(parent.id(), 1);
                if (parent.notifyReplies() && state == State.APPROVED && !shadow
                        && (viewer == null || !Long.valueOf(viewer.id()).equals(parent.authorAccountId()))) {
                    NotificationEvents.reply(dsl, id, parent.id());
                }
            }
            if (notify && viewer == null) {
                NotificationEvents.confirm(dsl, id);
            }
            boolean followed = viewer != null && form.followThread() && viewer.email() != null
                    && ThreadFollowers.follow(dsl, thread.id(), viewer.id());
            // a shadow comment is invisible to everyone but its author, so it is not counted either
            write.touch(thread.id(), state == State.APPROVED && !shadow ? 1 : 0, followed ? 1 : 0);
            // followers hear of new top-level comments; the bump above told how many there are, at no extra cost
            if (parent == null && state == State.APPROVED && !shadow
                    && write.followers(thread.id()) > (followed ? 1 : 0)) {
                NotificationEvents.thread(dsl, id);
            }
            events.comment(dsl, hooks, EventType.COMMENT_CREATED, id, state);
            return new Posted(id, state, parent == null ? id : parent.rootId());
        });
    }

    public void edit(Site site, long commentId, Account viewer, String body) {
        String source = DisplayText.cleanBody(body == null ? "" : body).strip();
        String html = renderChecked(site, source);
        writes.on(Ids.shardOf(commentId), write -> {
            Target target = ownedWithinWindow(write.dsl(), site, commentId, viewer, "edit");
            comments.keepRevision(write.dsl(), target.id(), source, html, viewer.id(), false);
            comments.updateBody(write.dsl(), target.id(), source, html);
            write.touch(target.threadId(), 0);
            return target;
        });
    }

    /** Removes the comment; with replies it stays as a "removed" tombstone so they keep their place. */
    public void delete(Site site, long commentId, Account viewer) {
        var hooks = events.prepare(site.id());
        writes.on(Ids.shardOf(commentId), write -> {
            Target target = ownedWithinWindow(write.dsl(), site, commentId, viewer, "delete");
            comments.markDeleted(write.dsl(), target.id());
            if (target.parentId() != null) {
                write.changeReplyCount(target.parentId(), -1);
            }
            write.touch(target.threadId(), target.state() == State.APPROVED && !target.shadow() ? -1 : 0);
            if (target.state() == State.APPROVED) {
                events.comment(write.dsl(), hooks, EventType.COMMENT_DELETED, target.id(), State.DELETED);
            }
            return target;
        });
    }

    /** Sets the viewer's vote to up (1), down (-1) or none (0); voting the same way twice changes nothing. */
    public void vote(long commentId, Account viewer, int value) {
        if (viewer == null) {
            throw HttpError.worded(401, "comment.error.signInToVote");
        }
        if (value < -1 || value > 1) {
            throw badVote();
        }
        refuseIfHistorical(commentId, "vote");
        writes.on(Ids.shardOf(commentId), write -> {
            DSLContext dsl = write.dsl();
            Target target = comments.lock(dsl, commentId).orElseThrow(CommentService::noSuchComment);
            if (target.state() != State.APPROVED) {
                throw HttpError.worded(409, "comment.error.votingOver");
            }
            if (target.threadLocked()) {
                throw locked();
            }
            if (viewer.id() == (target.authorAccountId() == null ? -1 : target.authorAccountId())) {
                throw HttpError.worded(403, "comment.error.ownVote");
            }
            int old = comments.vote(dsl, commentId, viewer.id());
            if (old == value) {
                return null;
            }
            comments.setVote(dsl, commentId, viewer.id(), old, value);
            write.touch(target.threadId(), 0);
            return null;
        });
    }

    /** @return false when the viewer had already reported this comment */
    public boolean flag(long commentId, Account viewer, String reason, String note) {
        if (viewer == null) {
            throw HttpError.worded(401, "comment.error.signInToReport");
        }
        return flag(commentId, viewer, null, reason, note);
    }

    /**
     * A report by a member ({@code viewer}) or a guest (null, reporting from {@code guestAddress}): one per
     * reporter and comment, so the same address cannot push a comment up the flagged queue by reporting it again.
     *
     * @return false when this reporter had already reported the comment
     */
    public boolean flag(long commentId, Account viewer, String guestAddress, String reason, String note) {
        if (viewer == null && (guestAddress == null || guestAddress.isBlank())) {
            throw HttpError.worded(401, "comment.error.signInToReport");
        }
        String reporter = viewer != null ? "account:" + viewer.id() : "ip:" + guestAddress;
        Long accountId = viewer == null ? null : viewer.id();
        if (reason == null || !FLAG_REASONS.contains(reason)) {
            throw HttpError.wordedField(400, "reason", "comment.error.reason");
        }
        String cleanNote = note == null ? null : DisplayText.clean(note);
        if (cleanNote != null && cleanNote.length() > MAX_FLAG_NOTE) {
            throw HttpError.wordedField(400, "note", "comment.error.noteLength", Integer.toString(MAX_FLAG_NOTE));
        }
        return writes.on(Ids.shardOf(commentId), write -> {
            Target target = comments.lock(write.dsl(), commentId).orElseThrow(CommentService::noSuchComment);
            boolean added = comments.flag(write.dsl(), target.id(), reporter, accountId, reason,
                    cleanNote == null || cleanNote.isEmpty() ? null : cleanNote);
            if (added) {
                events.comment(write.dsl(), target.siteId(), EventType.COMMENT_FLAGGED, target.id(), target.state());
            }
            return added;
        });
    }

    /** May this viewer still edit or delete this comment? (For showing the buttons; the write checks again.) */
    public boolean canChange(Site site, CommentView comment, Account viewer) {
        return viewer != null && comment.authorAccountId() != null && comment.authorAccountId() == viewer.id()
                && comment.state() != State.DELETED && withinWindow(site, comment.createdAt().toInstant());
    }

    /** @param verb "edit" or "delete", which the refusals' messages choose their words by */
    private Target ownedWithinWindow(DSLContext tx, Site site, long commentId, Account viewer, String verb) {
        if (viewer == null) {
            throw HttpError.worded(401, "comment.error.signInToChange", verb);
        }
        refuseIfHistorical(commentId, verb);
        Target target = comments.lock(tx, commentId).orElseThrow(CommentService::noSuchComment);
        if (target.authorAccountId() == null || target.authorAccountId() != viewer.id()) {
            throw HttpError.worded(403, "comment.error.notYours", verb);
        }
        if (target.state() == State.DELETED) {
            throw HttpError.worded(409, "comment.error.removed");
        }
        if (target.threadLocked()) {
            throw locked();
        }
        if (!withinWindow(site, target.createdAt().toInstant())) {
            long minutes = site.editWindow().toMinutes();
            // the count picks the plural form, the same number as a string is what is written ("10080", not "10,080")
            throw HttpError.worded(403, "comment.error.editWindow", minutes, Long.toString(minutes));
        }
        return target;
    }

    private boolean withinWindow(Site site, Instant created) {
        return Instant.now(clock).isBefore(created.plus(site.editWindow()));
    }

    /** Comments with a smaller ID are historical: pages show them without vote and reply controls. */
    public long historicalBefore() {
        return historical.cutoffId();
    }

    /**
     * Historical comments are read-only for visitors (see data.HistoricalPartitions): their partition takes no more
     * votes, edits or replies. Reports (flags) still go through: abuse must stay reportable at any age.
     *
     * @param verb "vote", "edit" or "delete": what can no longer be done, which the refusal names
     */
    private void refuseIfHistorical(long commentId, String verb) {
        if (historical.isHistorical(commentId)) {
            throw HttpError.worded(409, "comment.error.archived", historical.afterMonths(), verb);
        }
    }

    private Target replyTarget(DSLContext tx, CommentThread thread, long parentId) {
        if (Ids.shardOf(parentId) != thread.shard()) {
            throw HttpError.wordedField(400, "parent", "comment.error.replyElsewhere");
        }
        if (historical.isHistorical(parentId)) {
            throw HttpError.wordedField(409, "parent", "comment.error.parentArchived", historical.afterMonths());
        }
        Target parent = comments.lock(tx, parentId)
                .orElseThrow(CommentService::noSuchParent);
        if (parent.threadId() != thread.id()) {
            throw HttpError.wordedField(400, "parent", "comment.error.replyElsewhere");
        }
        if (parent.state() != State.APPROVED) {
            throw HttpError.wordedField(409, "parent", "comment.error.parentHidden");
        }
        return parent;
    }

    /**
     * The sanitised HTML of a comment's cleaned source, or a 400 on the body field when it is empty, too long for
     * the site, or shows nothing. Also used by moderators' edits, which obey the same limits.
     */
    public static String renderChecked(Site site, String source) {
        if (source.isEmpty()) {
            throw empty();
        }
        int length = source.codePointCount(0, source.length());
        if (length > site.maxCommentLength()) {
            throw HttpError.wordedField(400, "body", "comment.error.tooLong", Integer.toString(length),
                    Integer.toString(site.maxCommentLength()));
        }
        String html = Markdown.toHtml(source);
        if (!showsText(html)) { // e.g. only an image or a rule: nothing to show
            throw HttpError.wordedField(400, "body", "comment.error.noText");
        }
        return html;
    }

    /**
     * Whether anything but whitespace stands outside the tags: what removing every {@code <…>} and asking
     * isBlank told, without building the text (a stray {@code <} with no {@code >} after it is text).
     */
    static boolean showsText(String html) {
        for (int i = 0; i < html.length(); i++) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = html.indexOf('>', i + 1);
                if (end < 0) {
                    return true;
                }
                i = end;
            } else if (!Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }

    private static void checkOpen(Site site, CommentThread thread) {
        if (thread.locked()) {
            throw locked();
        }
        if (site.closed() || thread.closed()) {
            throw HttpError.worded(403, "thread.closed");
        }
    }

    private static String guestName(String raw) {
        String name = raw == null ? "" : DisplayText.clean(raw);
        if (name.isEmpty()) {
            throw HttpError.wordedField(400, "name", "comment.error.name");
        }
        if (name.length() > MAX_NAME) {
            throw HttpError.wordedField(400, "name", "comment.error.nameLength", Integer.toString(MAX_NAME));
        }
        return name;
    }

    private static String guestEmail(String raw) {
        if (raw == null) {
            return null;
        }
        if (!org.parley.account.Emails.looksValid(raw)) {
            throw HttpError.wordedField(400, "email", "account.error.email");
        }
        return raw;
    }

    /** What a locked thread answers to a new comment, a reply, a vote, an edit or a delete. */
    static HttpError locked() {
        return HttpError.worded(403, "thread.locked");
    }

    static HttpError noSuchComment() {
        return HttpError.worded(404, "comment.error.noComment");
    }

    static HttpError noSuchParent() {
        return HttpError.wordedField(400, "parent", "comment.error.noParent");
    }

    static HttpError empty() {
        return HttpError.wordedField(400, "body", "comment.error.empty");
    }

    static HttpError badVote() {
        return HttpError.wordedField(400, "value", "comment.error.vote");
    }
}
