package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What the comment form sends: the text, the comment it answers (if any), for guests a name and an optional
 * email, whether to mail the author replies ("notify me of replies") and, for members, whether to follow the
 * thread (mailed its new top-level comments). Only shape is checked here; the site's rules (length, guests) are the service's.
 */
public record CommentForm(String body, Long parentId, String guestName, String guestEmail, boolean notifyReplies,
                          boolean followThread) {

    /** A comment whose author is not mailed its replies. */
    public CommentForm(String body, Long parentId, String guestName, String guestEmail) {
        this(body, parentId, guestName, guestEmail, false, false);
    }

    public CommentForm(String body, Long parentId, String guestName, String guestEmail, boolean notifyReplies) {
        this(body, parentId, guestName, guestEmail, notifyReplies, false);
    }

    public static CommentForm parse(HttpServletRequest req) {
        String body = req.getParameter("body");
        if (body == null || body.isBlank()) {
            throw CommentService.empty();
        }
        return new CommentForm(body, parentId(req.getParameter("parent")), trimToNull(req.getParameter("name")),
                trimToNull(req.getParameter("email")), "on".equals(req.getParameter("notify")),
                "on".equals(req.getParameter("follow")));
    }

    private static Long parentId(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw CommentService.noSuchParent();
        }
    }

    private static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
