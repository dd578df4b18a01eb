package org.parley.moderation;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.data.RenderedOnce;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.parley.data.RenderedOnce.slot;

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

    // Plain SQL: jOOQ has no DSL for an INSERT and a DELETE as CTEs of one SELECT. The post's values are bind
    // values; the windows and the prune's size are this class's constants, written in so that the plan PostgreSQL
    // keeps for the statement is costed for them. The counts do not see this post's own row (a statement's CTEs all
    // read the same snapshot). One statement per kind of author, each comparing its index's column to a plain
    // parameter: written as one, with a CASE choosing the column by a parameter, and with the prune's LIMIT a
    // parameter, the generic plan read every recent post of the site for the counts and the whole table for the
    // prune (QueryPlansIT). The prune takes its rows by their ctids, collected first: a TID scan, never a join.
    private static final String RECORD_AND_COUNT = """
            WITH recorded AS (
                INSERT INTO main.post_trace (site_id, account_id, ip, text_hash) VALUES (?, ?, ?::inet, ?)
            ), pruned AS (
                DELETE FROM main.post_trace WHERE ctid = ANY (ARRAY(
                    SELECT ctid FROM main.post_trace WHERE at < now() - interval '%1$d seconds' ORDER BY at LIMIT %2$d))
            )
            SELECT count(*) FILTER (WHERE at > now() - interval '%3$d seconds'),
                   count(*) FILTER (WHERE text_hash = ? AND at > now() - interval '%4$d seconds')
            FROM main.post_trace
            WHERE site_id = ?
              AND at > now() - interval '%1$d seconds'
            """.formatted(KEEP.toSeconds(), PRUNE_PER_POST, SPEED_WINDOW.toSeconds(), REPEAT_WINDOW.toSeconds());
    private static final String BY_ACCOUNT = RECORD_AND_COUNT + "  AND account_id = ?\n";
    private static final String BY_IP = RECORD_AND_COUNT + "  AND ip = ?::inet\n";
    /** Each shape rendered once and cut at its placeholders (RenderedOnce): jOOQ reads the text once, not per post. */
    private static final RenderedOnce<Record> ACCOUNT_SHAPE = shape("SpamSignals.byAccount", BY_ACCOUNT, Long.class);
    private static final RenderedOnce<Record> IP_SHAPE = shape("SpamSignals.byIp", BY_IP, String.class);

    /** Binds: site, account, address, hash, hash, site, and the author ({@code author}: their account or address). */
    private static RenderedOnce<Record> shape(String name, String sql, Class<?> author) {
        return RenderedOnce.query(name, () -> DSL.resultQuery(sql, slot(Long.class), slot(Long.class),
                        slot(String.class), slot(String.class), slot(String.class), slot(Long.class), slot(author))
                .coerce(DSL.field("recent", Long.class), DSL.field("same", Long.class)));
    }

    private final DSLContext main;

    public SpamSignals(DSLContext main) {
        this.main = main;
    }

    /** Links as authors write them in Markdown or plain text. */
    static long links(String source) {
        long links = 0;
        for (Matcher m = LINK.matcher(source); m.find(); ) {
            links++;
        }
        return links;
    }

    /**
     * Why this post looks like spam, or null. Records the post for the next ones (one statement). {@code links} is
     * {@link #links} of the source, which the caller counted for the site's own limit.
     */
    public String check(long siteId, Long accountId, String ip, String source, long links) {
        String hash = hash(source);
        // an account is judged as itself, a guest by their address
        Record counts = (accountId != null ? ACCOUNT_SHAPE : IP_SHAPE)
                .fetchSingle(main, siteId, accountId, ip, hash, hash, siteId, accountId != null ? accountId : ip);
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
        String normal = oneSpaced(source.strip().toLowerCase(Locale.ROOT));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(normal.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Each run of whitespace ({@code \s}: space, tab, newline, vertical tab, form feed, return) as one space. */
    static String oneSpaced(String text) {
        var out = new StringBuilder(text.length());
        boolean inRun = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean space = c == ' ' || (c >= '\t' && c <= '\r');
            if (!space) {
                out.append(c);
            } else if (!inRun) {
                out.append(' ');
            }
            inRun = space;
        }
        return out.toString();
    }
}
