package org.parley.discussion;

import org.parley.discussion.CommentView.State;

/**
 * A comment about to be inserted, with its place in the tree and its author's display data worked out.
 * {@code shadow}: from a shadow-banned author — shown to them only (see {@link CommentRepository#page}).
 * {@code notifyReplies}: the author asked to be mailed replies (see the notify package).
 */
public record NewComment(long id, long threadId, long siteId, Long parentId, long rootId, String path, int depth,
                  Long authorAccountId, String authorName, String authorEmail, String authorAvatar,
                  String bodySource, String bodyHtml, State state, boolean shadow, String holdReason, String ip,
                  boolean notifyReplies) {

    /** A comment whose author is not mailed its replies (imports, tools). */
    public NewComment(long id, long threadId, long siteId, Long parentId, long rootId, String path, int depth,
                      Long authorAccountId, String authorName, String authorEmail, String authorAvatar,
                      String bodySource, String bodyHtml, State state, boolean shadow, String holdReason, String ip) {
        this(id, threadId, siteId, parentId, rootId, path, depth, authorAccountId, authorName, authorEmail,
                authorAvatar, bodySource, bodyHtml, state, shadow, holdReason, ip, false);
    }

    /** 16 hex digits per ID: text order equals numeric order, so ORDER BY path is depth-first, oldest first. */
    public static String pathSegment(long id) {
        return "%016x".formatted(id);
    }
}
