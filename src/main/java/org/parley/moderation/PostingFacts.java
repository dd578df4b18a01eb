package org.parley.moderation;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.parley.data.RenderedOnce;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.parley.data.RenderedOnce.slot;
import static org.parley.db.main.Tables.BAN;
import static org.parley.db.main.Tables.KNOWN_AUTHOR;
import static org.parley.db.main.Tables.SITE;
import static org.parley.db.main.Tables.TRUSTED_AUTHOR;
import static org.parley.db.main.Tables.WORD_RULE;

/**
 * Everything one post is checked against, read in ONE statement on main: the ban that applies to the author now
 * (if any), the site's word rules and rule settings, and whether the author is trusted or known there. It runs on
 * every post, so it was worth folding the bans' statement into the rules' one (a statement a post less, about 4 %
 * of a post's CPU in a profile of many writers on one thread; issue 18).
 *
 * <p>The ban is the first of the site's unexpired bans that names the author's account, their email, or a range
 * holding their address, refusing bans before shadow bans: an author under both is told rather than silently
 * hidden. The address is matched by PostgreSQL's own {@code cidr >>= inet}, so what the console accepts (a range
 * PostgreSQL validated and canonicalised) is exactly what the check can match.
 */
public final class PostingFacts {
    /** What one post is checked against. {@code maxLinks} null: no limit. */
    public record Facts(Optional<Bans.Ban> ban, boolean firstCommentPending, Integer maxLinks, boolean trusted,
                        boolean known, List<Pattern> reject, List<Pattern> hold, List<String> holdSources,
                        boolean spamChecks) {
    }

    /**
     * One shape per combination of what is known of the author (bit 1: an account, 2: an email, 4: an address),
     * each rendered once (RenderedOnce). Named values: "site", and "account", "accountText", "email", "ip" as the
     * shape has them.
     */
    private static final List<RenderedOnce<Record>> SHAPES = IntStream.range(0, 8)
            .mapToObj(shape -> RenderedOnce.<Record>query("PostingFacts#" + shape, () -> shape(shape)))
            .toList();

    private final DSLContext main;

    public PostingFacts(DSLContext main) {
        this.main = main;
    }

    public Facts read(long siteId, Long accountId, String email, String ip) {
        Map<String, Object> values = new HashMap<>();
        values.put("site", siteId);
        if (accountId != null) {
            values.put("account", accountId);
            values.put("accountText", accountId.toString());
        }
        if (email != null) {
            values.put("email", email.toLowerCase(Locale.ROOT));
        }
        if (ip != null) {
            values.put("ip", ip);
        }
        int shape = (accountId != null ? 1 : 0) | (email != null ? 2 : 0) | (ip != null ? 4 : 0);
        Record r = SHAPES.get(shape).fetchOptional(main, values)
                .orElseThrow(() -> new IllegalStateException("no site " + siteId));
        return facts(r);
    }

    /**
     * The record read by position, in the order {@link #shape} selects: looking fields up by name cost a fifth of
     * this statement's CPU in a profile of many posts.
     */
    private static Facts facts(Record r) {
        Optional<Bans.Ban> ban = r.get(7) == null ? Optional.empty()
                : Optional.of(new Bans.Ban(r.get(7, Long.class), r.get(8, Long.class), r.get(9, String.class),
                        r.get(10, String.class), r.get(11, String.class), r.get(12, java.time.OffsetDateTime.class),
                        r.get(13, Boolean.class), null, r.get(14, java.time.OffsetDateTime.class)));
        List<Pattern> reject = new ArrayList<>();
        List<Pattern> hold = new ArrayList<>();
        List<String> holdSources = new ArrayList<>();
        String[] patterns = r.get(4, String[].class);
        String[] actions = r.get(5, String[].class);
        for (int i = 0; patterns != null && i < patterns.length; i++) {
            // saved rules were validated on save, so this compiles
            Pattern compiled = Pattern.compile(patterns[i], SiteRules.FLAGS);
            if ("reject".equals(actions[i])) {
                reject.add(compiled);
            } else {
                hold.add(compiled);
                holdSources.add(patterns[i]);
            }
        }
        return new Facts(ban, r.get(0, Boolean.class), r.get(1, Integer.class), r.get(2, Boolean.class),
                r.get(3, Boolean.class), reject, hold, holdSources, r.get(6, Boolean.class));
    }

    private static final String TRUSTED = "trusted";
    private static final String KNOWN = "known";
    private static final String PATTERNS = "patterns";
    private static final String ACTIONS = "actions";

    private static org.jooq.ResultQuery<Record> shape(int shape) {
        boolean member = (shape & 1) != 0;
        Field<Boolean> trusted = !member ? DSL.inline(false) : DSL.field(DSL.exists(DSL.selectOne()
                .from(TRUSTED_AUTHOR)
                .where(TRUSTED_AUTHOR.SITE_ID.eq(SITE.ID))
                .and(TRUSTED_AUTHOR.ACCOUNT_ID.eq(slot("account", TRUSTED_AUTHOR.ACCOUNT_ID)))));
        Field<Boolean> known = !member ? DSL.inline(false) : DSL.field(DSL.exists(DSL.selectOne()
                .from(KNOWN_AUTHOR)
                .where(KNOWN_AUTHOR.SITE_ID.eq(SITE.ID))
                .and(KNOWN_AUTHOR.ACCOUNT_ID.eq(slot("account", KNOWN_AUTHOR.ACCOUNT_ID)))));
        // read by position (facts): 0-6 the rules and standing, 7-14 the ban's columns
        List<Field<?>> select = new ArrayList<>(List.of(SITE.FIRST_COMMENT_PENDING, SITE.MAX_LINKS,
                trusted.as(TRUSTED), known.as(KNOWN), wordRules(WORD_RULE.PATTERN).as(PATTERNS),
                wordRules(WORD_RULE.ACTION).as(ACTIONS), SITE.SPAM_CHECKS));
        Table<Record> ban = DSL.lateral(matchingBan(shape).asTable("b"));
        for (Field<?> column : BAN_COLUMNS) {
            select.add(ban.field(column));
        }
        return DSL.select(select)
                .from(SITE)
                .leftJoin(ban).on(DSL.trueCondition())
                .where(SITE.ID.eq(slot("site", SITE.ID)));
    }

    private static final List<Field<?>> BAN_COLUMNS = List.of(BAN.ID, BAN.SITE_ID, BAN.KIND, BAN.VALUE, BAN.REASON,
            BAN.EXPIRES_AT, BAN.SHADOW, BAN.CREATED_AT);

    /** The site's word rules, in order, as one array. */
    private static Field<String[]> wordRules(Field<String> column) {
        return DSL.field(DSL.select(DSL.arrayAgg(column).orderBy(WORD_RULE.ID))
                .from(WORD_RULE).where(WORD_RULE.SITE_ID.eq(SITE.ID)));
    }

    private static org.jooq.Select<Record> matchingBan(int shape) {
        Condition who = DSL.falseCondition();
        if ((shape & 1) != 0) {
            who = who.or(BAN.KIND.eq(DSL.inline("account")).and(BAN.VALUE.eq(slot("accountText", BAN.VALUE))));
        }
        if ((shape & 2) != 0) {
            who = who.or(BAN.KIND.eq(DSL.inline("email")).and(BAN.VALUE.eq(slot("email", BAN.VALUE))));
        }
        if ((shape & 4) != 0) {
            // CASE keeps the cast away from account and email rows, whatever order the planner picks
            who = who.or(DSL.condition("CASE WHEN {0} = 'ip' THEN {1}::cidr >>= {2}::inet ELSE false END",
                    BAN.KIND, BAN.VALUE, slot("ip", String.class)));
        }
        return DSL.select(BAN_COLUMNS)
                .from(BAN)
                .where(BAN.SITE_ID.eq(SITE.ID))
                .and(BAN.EXPIRES_AT.isNull().or(BAN.EXPIRES_AT.gt(DSL.currentOffsetDateTime())))
                .and(who)
                .orderBy(BAN.SHADOW.asc(), BAN.ID.asc())
                .limit(DSL.inline(1));
    }
}
