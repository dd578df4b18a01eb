package org.parley.discussion;

import org.parley.discussion.CommentView.State;

/**
 * A comment about to be inserted, with its place in the tree and its author's display data worked out.
 * {@code id} null: the insert mints it ({@link CommentRepository#insert}); its root and path follow from it.
 * {@code parent} null: a top-level comment, its own root.
 * {@code shadow}: from a shadow-banned author — shown to them only (see {@link CommentRepository#page}).
 * {@code notifyReplies}: the author asked to be mailed replies (see the notify package).
 */
public record NewComment(Long id, long threadId, long siteId, Parent parent,
                         Long authorAccountId, String authorName, String authorEmail, String authorAvatar,
                         String bodySource, String bodyHtml, State state, boolean shadow, String holdReason, String ip,
                         boolean notifyReplies) {

    /** The comment a reply answers, as far as the reply's place in the tree needs it. */
    public record Parent(long id, long rootId, String path, int depth) {
    }

    /** A comment whose author is not mailed its replies (imports, tools). */
    public NewComment(Long id, long threadId, long siteId, Parent parent,
                      Long authorAccountId, String authorName, String authorEmail, String authorAvatar,
                      String bodySource, String bodyHtml, State state, boolean shadow, String holdReason, String ip) {
        this(id, threadId, siteId, parent, authorAccountId, authorName, authorEmail, authorAvatar, bodySource,
                bodyHtml, state, shadow, holdReason, ip, false);
    }

    /** 16 hex digits per ID: text order equals numeric order, so ORDER BY path is depth-first, oldest first. */
    public static String pathSegment(long id) {
        return "%016x".formatted(id);
    }

    public Long parentId() {
        return parent == null ? null : parent.id();
    }

    /** The top-level comment of its conversation: itself when it is one. */
    public long rootId() {
        return parent == null ? minted() : parent.rootId();
    }

    /** Its parent's path and its own segment. */
    public String path() {
        return pathPrefix() + pathSegment(minted());
    }

    /** What its path holds before its own segment: the parent's path and a dot, or nothing at the top. */
    public String pathPrefix() {
        return parent == null ? "" : parent.path() + ".";
    }

    public int depth() {
        return parent == null ? 0 : parent.depth() + 1;
    }

    /** Where it sits, as a parent of its own replies. */
    public Parent asParent() {
        return new Parent(minted(), rootId(), path(), depth());
    }

    private long minted() {
        if (id == null) {
            throw new IllegalStateException("the comment's id is minted by its insert: its root and path follow");
        }
        return id;
    }
}
