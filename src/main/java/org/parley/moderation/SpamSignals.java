package org.parley.moderation;

import org.jooq.DSLContext;
import org.jooq.Record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Simple spam heuristics that send a comment to the spam queue with the reason shown to moderators: too many
 * links, the same text again from the same author, and posting too fast. An author is their account when signed
 * in, else their IP address (a guest has nothing else; an account is not judged by the IP it shares with others).
 *
 * <p>The history lives in {@code main.post_trace} (every shard's posts of a site, in one small table), read and
 * written by ONE statement per post: it records this post, prunes a few expired rows, and counts this author's
 * recent posts and recent copies of this text. Thresholds are constants (see docs/moderation.md), not settings.
 */
public final class SpamSignals {
    /** More links than this is spam (a site's own, usually lower, link limit only holds a comment for review). */
    public static final int MAX_LINKS = 5;
    /** The same text again from the same author within this window is spam. */
    public static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);
    /** More than SPEED_LIMIT comments from one author within SPEED_WINDOW: the ones over the limit are spam. */
    public static final int SPEED_LIMIT = 5;
    public static final Duration SPEED_WINDOW = Duration.ofSeconds(60);
    /** Rows older than this are of no use to any rule and are pruned, a few per post. */
    static final Duration KEEP = REPEAT_WINDOW.compareTo(SPEED_WINDOW) > 0 ? REPEAT_WINDOW : SPEED_WINDOW;
    private static final int PRUNE_PER_POST = 20;

    private static final Pattern LINK = Pattern.compile("(?i)\\b(?:https?://|www\\.)");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    // Plain SQL: jOOQ has no DSL for an INSERT and a DELETE as CTEs of one SELECT; every value is a bind value.
    // The counts do not see this post's own row (a statement's CTEs all read the same snapshot).
    private static final String SQL = """
            WITH recorded AS (
                INSERT INTO main.post_trace (site_id, account_id, ip, text_hash) VALUES (?, ?, ?::inet, ?)
            ), pruned AS (
                DELETE FROM main.post_trace WHERE ctid IN (
                    SELECT ctid FROM main.post_trace WHERE at < now() - make_interval(secs => ?) ORDER BY at LIMIT ?)
            )
            SELECT count(*) FILTER (WHERE at > now() - make_interval(secs => ?)),
                   count(*) FILTER (WHERE text_hash = ? AND at > now() - make_interval(secs => ?))
            FROM main.post_trace
            WHERE site_id = ?
              AND at > now() - make_interval(secs => ?)
              AND CASE WHEN ?::bigint IS NULL THEN ip = ?::inet ELSE account_id = ?::bigint END
            """;

    private final DSLContext main;

    public SpamSignals(DSLContext main) {
        this.main = main;
    }

    /** Why this post looks like spam, or null. Records the post for the next ones (one statement). */
    public String check(long siteId, Long accountId, String ip, String source) {
        long links = LINK.matcher(source).results().count();
        String hash = hash(source);
        Record counts = main.resultQuery(SQL,
                        siteId, accountId, ip, hash,
                        KEEP.toSeconds(), PRUNE_PER_POST,
                        SPEED_WINDOW.toSeconds(),
                        hash, REPEAT_WINDOW.toSeconds(),
                        siteId, KEEP.toSeconds(),
                        accountId, ip, accountId)
                .fetchSingle();
        long recent = counts.get(0, Long.class);
        long same = counts.get(1, Long.class);
        if (links > MAX_LINKS) {
            return links + " links (more than " + MAX_LINKS + " looks like spam)";
        }
        if (same > 0) {
            return "the same text again within " + REPEAT_WINDOW.toMinutes() + " minutes";
        }
        if (recent >= SPEED_LIMIT) {
            return (recent + 1) + " comments within " + SPEED_WINDOW.toSeconds() + " seconds (the limit is "
                    + SPEED_LIMIT + ")";
        }
        return null;
    }

    /** The text as a repeat is recognised: case and runs of whitespace do not make it new. */
    static String hash(String source) {
        String normal = SPACE.matcher(source.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(normal.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
