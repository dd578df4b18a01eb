package org.parley.discussion;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Objects;

/**
 * A comment as a page shows it, straight from its denormalised row (no joins for author or counts).
 *
 * @param bodyUtf8 its sanitised HTML as UTF-8, which is how PostgreSQL sends it and how pages are written: the
 *                 shared list copies it as it is ({@link SharedListWriter}), where decoding 200 bodies into Strings
 *                 and encoding them back was about a tenth of a cache-off page's CPU (JFR); {@link #bodyHtml} is
 *                 the text, for templates and JSON. The array is the record's own: read it, never change it
 * @param viewerVote the viewing account's vote on it: -1, 0 or 1
 */
public record CommentView(long id, Long parentId, int depth, Long authorAccountId, String authorName,
                          String authorAvatar, byte[] bodyUtf8, State state, int score, int upvotes, int downvotes,
                          int replyCount, OffsetDateTime createdAt, OffsetDateTime editedAt, int viewerVote,
                          boolean pinned) {

    /** A comment whose body is at hand as text (the viewer's own spooled comment, tests). */
    public CommentView(long id, Long parentId, int depth, Long authorAccountId, String authorName,
                       String authorAvatar, String bodyHtml, State state, int score, int upvotes, int downvotes,
                       int replyCount, OffsetDateTime createdAt, OffsetDateTime editedAt, int viewerVote,
                       boolean pinned) {
        this(id, parentId, depth, authorAccountId, authorName, authorAvatar,
                Objects.requireNonNull(bodyHtml, "bodyHtml").getBytes(StandardCharsets.UTF_8), state, score,
                upvotes, downvotes, replyCount, createdAt, editedAt, viewerVote, pinned);
    }

    /** Its sanitised HTML. */
    public String bodyHtml() {
        return new String(bodyUtf8, StandardCharsets.UTF_8);
    }

    /**
     * Equal when every component is, the body by its bytes (a record compares arrays by identity) and the times by
     * their instants: the page's rows come from the driver in UTC, other reads in the JVM's zone.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof CommentView c && id == c.id && depth == c.depth && score == c.score
                && upvotes == c.upvotes && downvotes == c.downvotes && replyCount == c.replyCount
                && viewerVote == c.viewerVote && pinned == c.pinned && state == c.state
                && Objects.equals(parentId, c.parentId) && Objects.equals(authorAccountId, c.authorAccountId)
                && Objects.equals(authorName, c.authorName) && Objects.equals(authorAvatar, c.authorAvatar)
                && Arrays.equals(bodyUtf8, c.bodyUtf8) && sameInstant(createdAt, c.createdAt)
                && sameInstant(editedAt, c.editedAt);
    }

    private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b == null : b != null && a.isEqual(b);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Arrays.hashCode(bodyUtf8);
    }

    @Override
    public String toString() {
        return "CommentView[id=" + id + ", parentId=" + parentId + ", depth=" + depth + ", authorName=" + authorName
                + ", state=" + state + ", score=" + score + ", body=" + bodyUtf8.length + " bytes]";
    }

    /** Indentation stops here; deeper replies line up with their parent's level. */

    public enum State {
        APPROVED, PENDING, SPAM, DELETED;

        public static State of(String column) {
            return valueOf(column.toUpperCase(java.util.Locale.ROOT));
        }

        public String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The picture beside the comment: Gravatar's for a comment written while its site showed them, else ours. */
    public String avatarUrl() {
        String gravatar = org.parley.account.Avatars.gravatarHash(authorAvatar);
        return gravatar != null ? GRAVATAR + gravatar + "?s=64&d=identicon" : "/avatar/" + authorAvatar + ".svg";
    }

    /** Gravatar's image service, which the pages' Content-Security-Policy allows images from. */
    public static final String GRAVATAR = "https://www.gravatar.com/avatar/";

    public boolean removed() {
        return state == State.DELETED;
    }

    public boolean pending() {
        return state == State.PENDING;
    }

    /**
     * When it was written, as a {@code <time>} element's text: UTC to the second, {@code 2026-11-25 10:00:07Z}. Both
     * what a reader without script sees (the Z saying the zone, which the page has no other way to know) and a
     * valid HTML date, so no {@code datetime} attribute repeats it (thread.js reads it for "3 hours ago"). To the
     * second, not the minute: a comment posted at :55 would read "1 minute ago" ten seconds later.
     */
    public String writtenAt() {
        return writtenAt(createdAt);
    }

    /**
     * Written out by hand rather than with {@link #UTC_SECOND}: a cache-off page formats two hundred of these, and
     * the formatter's field-by-field printing was about 3 % of its CPU (JFR). Years outside four digits, which no
     * comment has, are left to the formatter.
     */
    static String writtenAt(OffsetDateTime at) {
        var utc = java.time.LocalDateTime.ofEpochSecond(at.toEpochSecond(), 0, java.time.ZoneOffset.UTC);
        if (utc.getYear() < 1000 || utc.getYear() > 9999) {
            return UTC_SECOND.format(at);
        }
        var text = new StringBuilder(20).append(utc.getYear());
        twoDigits(text.append('-'), utc.getMonthValue());
        twoDigits(text.append('-'), utc.getDayOfMonth());
        twoDigits(text.append(' '), utc.getHour());
        twoDigits(text.append(':'), utc.getMinute());
        twoDigits(text.append(':'), utc.getSecond());
        return text.append('Z').toString();
    }

    private static void twoDigits(StringBuilder text, int value) {
        text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    static final java.time.format.DateTimeFormatter UTC_SECOND =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC);

    /** What a comment's element id starts with, before its id ({@link #anchor}; SharedListWriter writes it too). */
    static final String ANCHOR_PREFIX = "comment-";

    public String anchor() {
        return ANCHOR_PREFIX + id;
    }
}
