package org.parley.discussion;

import java.time.OffsetDateTime;

/**
 * A comment as a page shows it, straight from its denormalised row (no joins for author or counts).
 *
 * @param viewerVote the viewing account's vote on it: -1, 0 or 1
 */
public record CommentView(long id, Long parentId, int depth, Long authorAccountId, String authorName,
                          String authorAvatar, String bodyHtml, State state, int score, int upvotes, int downvotes,
                          int replyCount, OffsetDateTime createdAt, OffsetDateTime editedAt, int viewerVote,
                          boolean pinned) {

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

    public String anchor() {
        return "comment-" + id;
    }
}
