package org.parley.discussion;

import org.parley.web.BundleMessageResolver;
import org.parley.web.Utf8Bytes;
import org.unbescape.html.HtmlEscape;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The shared comment list — what thread/comments.html with comment/item.html renders for a viewer who is nobody
 * in particular (no token, nothing of theirs to change) — written straight into UTF-8 bytes.
 *
 * <p>Why not the template: on a cache miss that render was about 60% of a 200-comment page's CPU (a JFR profile
 * of {@code BENCH_JFR=uncached bench/run}, docs/caching.md "A cache miss"), nearly all of it Thymeleaf evaluating
 * a dozen OGNL expressions, link expressions and messages for each comment. This writes the same bytes with the
 * messages resolved once per list. The templates stay the description of the markup and render every other
 * variant (a member without script, the overlay's items); {@code SharedListWriterTest} renders a wide set of
 * comments both ways in every language and requires identical output, so the two cannot drift apart.
 */
final class SharedListWriter {
    /** What the list shows and how, as thread/comments.html's model has it. */
    record Shown(List<CommentView> comments, String moreUrl, String shownIn, boolean embed, boolean closed,
                 boolean locked, Long historicalBefore, Locale locale) {
    }

    private static final byte[] UP = "\">▲</button><span class=\"score\">".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOWN = "\">▼</button></form>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REMOVED_AUTHOR = "—".getBytes(StandardCharsets.UTF_8);

    /** A little more than a comment's markup around its body (about 610 bytes, more with a Gravatar or long name). */
    private static final int MARKUP_PER_COMMENT = 800;

    private SharedListWriter() {
    }

    /** The list as UTF-8. */
    static byte[] write(Shown list) {
        Words words = new Words(list.locale(), list.shownIn());
        int bodies = 0;
        for (CommentView c : list.comments()) {
            bodies += c.bodyUtf8().length;
        }
        var out = new Utf8Bytes(bodies + list.comments().size() * MARKUP_PER_COMMENT + 200);
        if (list.comments().isEmpty()) {
            out.ascii("<p class=\"empty\">").append(words.empty).ascii("</p>");
        } else {
            out.ascii("<ol class=\"comments\">");
            for (CommentView c : list.comments()) {
                item(out, c, list, words);
            }
            out.ascii("</ol>");
        }
        if (list.moreUrl() != null) {
            out.ascii("<p class=\"more\"><a href=\"").append(escape(list.moreUrl())).ascii("\">").append(words.more)
                    .ascii("</a></p>");
        }
        return out.toArray();
    }

    private static void item(Utf8Bytes out, CommentView c, Shown list, Words words) {
        boolean removed = c.removed();
        byte[] author = removed ? REMOVED_AUTHOR : escape(c.authorName()).getBytes(StandardCharsets.UTF_8);
        String id = Long.toString(c.id()); // written five times: its digits made once
        out.ascii("<li id=\"").ascii(CommentView.ANCHOR_PREFIX).ascii(id).ascii("\" class=\"comment")
                .ascii(removed ? " removed" : "").ascii(c.pending() ? " pending" : "").ascii("\" data-depth=\"").append(c.depth())
                .ascii("\"><article aria-label=\"").append(author).ascii("\"><header>");
        if (!removed) {
            String avatar = c.avatarUrl();
            out.ascii("<img src=\"").append(escape(avatar)).ascii("\" alt=\"\"")
                    .ascii(avatar.startsWith("/") ? "" : " referrerpolicy=\"no-referrer\"").ascii(">");
        }
        out.ascii("<strong class=\"author\">").append(author).ascii("</strong><a href=\"/c/").ascii(id)
                .ascii(list.embed() ? "\" target=\"_blank\"><time>" : "\"><time>")
                .ascii(c.writtenAt()).ascii("</time></a>");
        if (c.editedAt() != null && !removed) {
            out.ascii("<span class=\"edited\">").append(words.edited).ascii("</span>");
        }
        if (c.pinned() && !removed) {
            out.ascii("<span class=\"badge pinned\">").append(words.pinned).ascii("</span>");
        }
        out.ascii("</header>");
        if (removed) {
            out.ascii("<p class=\"tombstone\">").append(words.removed).ascii("</p>");
        }
        if (c.pending()) {
            out.ascii("<p class=\"pending-note\">").append(words.pending).ascii("</p>");
        }
        if (!removed) {
            out.ascii("<div class=\"comment-body\" dir=\"auto\">").append(c.bodyUtf8()).ascii("</div>");
            footer(out, c, id, list, words);
        }
        out.ascii("</article></li>");
    }

    private static void footer(Utf8Bytes out, CommentView c, String id, Shown list, Words words) {
        boolean archived = list.historicalBefore() != null && c.id() < list.historicalBefore();
        out.ascii("<footer>");
        if (archived) {
            out.ascii("<span class=\"score archived\" title=\"").append(words.archivedTitle).ascii("\">")
                    .append(escape(BundleMessageResolver.message(list.locale(), "comment.archived", c.score())))
                    .ascii("</span>");
        } else if (!list.locked()) {
            out.ascii("<form class=\"vote\" method=\"post\" action=\"/c/").ascii(id).ascii("/vote")
                    .append(words.shownIn).ascii("\"><button name=\"value\" value=\"")
                    .append(c.viewerVote() == 1 ? 0 : 1)
                    .ascii("\" aria-label=\"").append(words.upvote).ascii("\" aria-pressed=\"")
                    .append(c.viewerVote() == 1).append(UP).append(c.score())
                    .ascii("</span><button name=\"value\" value=\"").append(c.viewerVote() == -1 ? 0 : -1)
                    .ascii("\" aria-label=\"").append(words.downvote).ascii("\" aria-pressed=\"")
                    .append(c.viewerVote() == -1).append(DOWN);
        }
        if (!(list.closed() || c.pending() || archived)) {
            out.ascii("<a class=\"reply-link\" href=\"/c/").ascii(id).ascii("/reply").append(words.shownIn)
                    .ascii("\">").append(words.reply).ascii("</a>");
        }
        out.ascii("<a href=\"/c/").ascii(id).ascii("/flag").append(words.shownIn).ascii("\">")
                .append(words.flag).ascii("</a></footer>");
    }

    /** Thymeleaf's own escaping (th:text and attribute values), so the bytes match the template's. */
    private static String escape(String text) {
        return HtmlEscape.escapeHtml4Xml(text);
    }

    /** The list's fixed words and query, resolved, escaped and encoded once rather than once per comment. */
    private static final class Words {
        final byte[] empty;
        final byte[] more;
        final byte[] edited;
        final byte[] pinned;
        final byte[] removed;
        final byte[] pending;
        final byte[] archivedTitle;
        final byte[] upvote;
        final byte[] downvote;
        final byte[] reply;
        final byte[] flag;
        /** The query the list's links carry to say where it is shown (ShownIn), escaped and encoded. */
        final byte[] shownIn;

        Words(Locale locale, String shownIn) {
            this.shownIn = escape(shownIn).getBytes(StandardCharsets.UTF_8);
            empty = word(locale, "thread.empty");
            more = word(locale, "thread.more");
            edited = word(locale, "comment.edited");
            pinned = word(locale, "comment.pinned");
            removed = word(locale, "comment.removed");
            pending = word(locale, "comment.pending");
            archivedTitle = word(locale, "comment.archived.title");
            upvote = word(locale, "comment.upvote");
            downvote = word(locale, "comment.downvote");
            reply = word(locale, "comment.reply");
            flag = word(locale, "comment.flag");
        }

        private static byte[] word(Locale locale, String key) {
            return escape(BundleMessageResolver.required(locale, key)).getBytes(StandardCharsets.UTF_8);
        }
    }
}
