package org.parley.disqus;

import java.time.Instant;

/**
 * What a Disqus export holds, one element at a time, as {@link ExportReader} meets it: threads first (Disqus writes
 * them before the posts), then posts in the order of the file; anything that cannot be used is a {@link Skipped}
 * with its reason and line, so a summary can name it and nothing disappears silently.
 */
public sealed interface ExportItem {
    /** The line of the element's start tag in the file (1-based), for the summary and error messages. */
    int line();

    /**
     * A {@code <thread>}: {@code identifier} is the host page's {@code disqus_identifier} ({@code <id>}), null when
     * the page set none (Disqus then knew it by {@code link}).
     */
    record ExportThread(long disqusId, String identifier, String link, String title, boolean closed, boolean deleted,
                        Instant createdAt, int line) implements ExportItem {
    }

    /**
     * A {@code <post>}, a comment: {@code message} is the HTML Disqus stored (sanitised on import like any comment),
     * {@code parentDisqusId} null for a top-level comment. {@code createdAt} is never null: a post without a usable
     * time is {@link Skipped}. {@code approved} is false for a post held for moderation ({@code isApproved}, which
     * Disqus's own exports leave out: absent means approved).
     */
    record ExportPost(long disqusId, long threadDisqusId, Long parentDisqusId, String message, Instant createdAt,
                      Author author, String ip, boolean deleted, boolean spam, boolean approved, int line)
            implements ExportItem {
    }

    /** Who wrote a post: a guest has no {@code username}; any part may be missing from a real export. */
    record Author(String name, String email, String username, boolean anonymous) {
    }

    /** An element that could not be read into a thread or post, and why. */
    record Skipped(String element, String reason, int line) implements ExportItem {
    }
}
