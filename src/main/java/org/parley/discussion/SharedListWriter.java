package org.parley.discussion;

import org.parley.web.BundleMessageResolver;
import org.parley.web.Utf8Bytes;
import org.unbescape.html.HtmlEscape;

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

    /** A little more than a comment's markup around its body (about 610 bytes, more with a Gravatar or long name). */
    private static final int MARKUP_PER_COMMENT = 800;

    private SharedListWriter() {
    }

    /** The list as UTF-8. */
    static byte[] write(Shown list) {
        Words words = new Words(list.locale());
        int bodies = 0;
        for (CommentView c : list.comments()) {
            bodies += c.bodyUtf8().length;
        }
        var out = new Utf8Bytes(bodies + list.comments().size() * MARKUP_PER_COMMENT + 200);
        if (list.comments().isEmpty()) {
            out.append("<p class=\"empty\">").append(words.empty).append("</p>");
        } else {
            out.append("<ol class=\"comments\">");
            for (CommentView c : list.comments()) {
                item(out, c, list, words);
            }
            out.append("</ol>");
        }
        if (list.moreUrl() != null) {
            out.append("<p class=\"more\"><a href=\"").append(escape(list.moreUrl())).append("\">").append(words.more)
                    .append("</a></p>");
        }
        return out.toArray();
    }

    private static void item(Utf8Bytes out, CommentView c, Shown list, Words words) {
        boolean removed = c.removed();
        String author = removed ? "—" : escape(c.authorName());
        out.append("<li id=\"comment-").append(c.id()).append("\" class=\"comment").append(removed ? " removed" : "")
                .append(c.pending() ? " pending" : "").append("\" data-depth=\"").append(c.depth()).append("\">")
                .append("<article aria-label=\"").append(author).append("\"><header>");
        if (!removed) {
            String avatar = c.avatarUrl();
            out.append("<img src=\"").append(escape(avatar)).append("\" alt=\"\"")
                    .append(avatar.startsWith("/") ? "" : " referrerpolicy=\"no-referrer\"").append(">");
        }
        out.append("<strong class=\"author\">").append(author).append("</strong><a href=\"/c/").append(c.id())
                .append("\"").append(list.embed() ? " target=\"_blank\"" : "").append("><time>")
                .append(c.writtenAt()).append("</time></a>");
        if (c.editedAt() != null && !removed) {
            out.append("<span class=\"edited\">").append(words.edited).append("</span>");
        }
        if (c.pinned() && !removed) {
            out.append("<span class=\"badge pinned\">").append(words.pinned).append("</span>");
        }
        out.append("</header>");
        if (removed) {
            out.append("<p class=\"tombstone\">").append(words.removed).append("</p>");
        }
        if (c.pending()) {
            out.append("<p class=\"pending-note\">").append(words.pending).append("</p>");
        }
        if (!removed) {
            out.append("<div class=\"comment-body\" dir=\"auto\">").append(c.bodyUtf8()).append("</div>");
            footer(out, c, list, words);
        }
        out.append("</article></li>");
    }

    private static void footer(Utf8Bytes out, CommentView c, Shown list, Words words) {
        boolean archived = list.historicalBefore() != null && c.id() < list.historicalBefore();
        String shownIn = escape(list.shownIn());
        out.append("<footer>");
        if (archived) {
            out.append("<span class=\"score archived\" title=\"").append(words.archivedTitle).append("\">")
                    .append(escape(BundleMessageResolver.message(list.locale(), "comment.archived", c.score())))
                    .append("</span>");
        } else if (!list.locked()) {
            out.append("<form class=\"vote\" method=\"post\" action=\"/c/").append(c.id()).append("/vote")
                    .append(shownIn).append("\">")
                    .append("<button name=\"value\" value=\"").append(c.viewerVote() == 1 ? 0 : 1)
                    .append("\" aria-label=\"").append(words.upvote).append("\" aria-pressed=\"")
                    .append(c.viewerVote() == 1).append("\">▲</button><span class=\"score\">").append(c.score())
                    .append("</span><button name=\"value\" value=\"").append(c.viewerVote() == -1 ? 0 : -1)
                    .append("\" aria-label=\"").append(words.downvote).append("\" aria-pressed=\"")
                    .append(c.viewerVote() == -1).append("\">▼</button></form>");
        }
        if (!(list.closed() || c.pending() || archived)) {
            out.append("<a class=\"reply-link\" href=\"/c/").append(c.id()).append("/reply").append(shownIn)
                    .append("\">").append(words.reply).append("</a>");
        }
        out.append("<a href=\"/c/").append(c.id()).append("/flag").append(shownIn).append("\">")
                .append(words.flag).append("</a></footer>");
    }

    /** Thymeleaf's own escaping (th:text and attribute values), so the bytes match the template's. */
    private static String escape(String text) {
        return HtmlEscape.escapeHtml4Xml(text);
    }

    /** The list's fixed words, resolved and escaped once rather than once per comment. */
    private static final class Words {
        final String empty;
        final String more;
        final String edited;
        final String pinned;
        final String removed;
        final String pending;
        final String archivedTitle;
        final String upvote;
        final String downvote;
        final String reply;
        final String flag;

        Words(Locale locale) {
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

        private static String word(Locale locale, String key) {
            return escape(BundleMessageResolver.required(locale, key));
        }
    }
}
