package org.parley.moderation;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record7;
import org.jooq.impl.DSL;
import org.parley.data.RenderedOnce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import static org.parley.data.RenderedOnce.slot;
import static org.parley.db.main.Tables.ACCOUNT;
import static org.parley.db.main.Tables.KNOWN_AUTHOR;
import static org.parley.db.main.Tables.SITE;
import static org.parley.db.main.Tables.TRUSTED_AUTHOR;
import static org.parley.db.main.Tables.WORD_RULE;

/**
 * The SQL of a site's posting rules (main schema): word rules, trusted and known authors, and the two rule
 * settings. {@link #forPost} reads everything one post needs in ONE statement, and compiles the word rules once
 * for that post.
 */
public final class SiteRules {
    /** Word rules are matched case-insensitively, Unicode-aware: moderators write "viagra", not "(?i)viagra". */
    public static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    /** A word rule; {@code action} is {@code reject} or {@code pending}. */
    public record WordRule(long id, long siteId, String pattern, String action, String createdByName) {
    }

    /** What one post is checked against. {@code maxLinks} null: no limit. */
    public record ForPost(boolean firstCommentPending, Integer maxLinks, boolean trusted, boolean known,
                          List<Pattern> reject, List<Pattern> hold, List<String> holdSources, boolean spamChecks) {
    }

    /** A trusted author as the console lists them. */
    public record Trusted(long siteId, long accountId, String name, String email) {
    }

    private final DSLContext main;

    public SiteRules(DSLContext main) {
        this.main = main;
    }

    /** The site's word rules, in order, as one array. */
    private static Field<String[]> wordRules(Field<String> column) {
        return DSL.field(DSL.select(DSL.arrayAgg(column).orderBy(WORD_RULE.ID))
                .from(WORD_RULE).where(WORD_RULE.SITE_ID.eq(slot(WORD_RULE.SITE_ID))));
    }

    /**
     * What one post is checked against, for a member (true) or a guest (false): asked on every post, so rendered
     * once (RenderedOnce). Values, in order: for a member (site, account) twice, then the site three times.
     */
    private static RenderedOnce<Record7<Boolean, Integer, Boolean, Boolean, String[], String[], Boolean>> forPostShape(
            boolean member) {
        return RenderedOnce.query("SiteRules.forPost" + (member ? "" : "(guest)"), () -> {
            Field<Boolean> trusted = !member ? DSL.inline(false) : DSL.field(DSL.exists(DSL.selectOne()
                    .from(TRUSTED_AUTHOR)
                    .where(TRUSTED_AUTHOR.SITE_ID.eq(slot(TRUSTED_AUTHOR.SITE_ID)))
                    .and(TRUSTED_AUTHOR.ACCOUNT_ID.eq(slot(TRUSTED_AUTHOR.ACCOUNT_ID)))));
            Field<Boolean> known = !member ? DSL.inline(false) : DSL.field(DSL.exists(DSL.selectOne()
                    .from(KNOWN_AUTHOR)
                    .where(KNOWN_AUTHOR.SITE_ID.eq(slot(KNOWN_AUTHOR.SITE_ID)))
                    .and(KNOWN_AUTHOR.ACCOUNT_ID.eq(slot(KNOWN_AUTHOR.ACCOUNT_ID)))));
            return DSL.select(SITE.FIRST_COMMENT_PENDING, SITE.MAX_LINKS, trusted, known,
                            wordRules(WORD_RULE.PATTERN), wordRules(WORD_RULE.ACTION), SITE.SPAM_CHECKS)
                    .from(SITE)
                    .where(SITE.ID.eq(slot(SITE.ID)));
        });
    }

    private static final RenderedOnce<Record7<Boolean, Integer, Boolean, Boolean, String[], String[], Boolean>>
            FOR_MEMBER = forPostShape(true);
    private static final RenderedOnce<Record7<Boolean, Integer, Boolean, Boolean, String[], String[], Boolean>>
            FOR_GUEST = forPostShape(false);

    public ForPost forPost(long siteId, Long accountId) {
        var r = accountId == null
                ? FOR_GUEST.fetchSingle(main, siteId, siteId, siteId)
                : FOR_MEMBER.fetchSingle(main, siteId, accountId, siteId, accountId, siteId, siteId, siteId);
        List<Pattern> reject = new ArrayList<>();
        List<Pattern> hold = new ArrayList<>();
        List<String> holdSources = new ArrayList<>();
        String[] p = r.value5();
        String[] a = r.value6();
        for (int i = 0; p != null && i < p.length; i++) {
            // saved rules were validated on save, so this compiles
            Pattern compiled = Pattern.compile(p[i], FLAGS);
            if ("reject".equals(a[i])) {
                reject.add(compiled);
            } else {
                hold.add(compiled);
                holdSources.add(p[i]);
            }
        }
        return new ForPost(r.value1(), r.value2(), r.value3(), r.value4(), reject, hold, holdSources, r.value7());
    }

    public List<WordRule> words(Collection<Long> siteIds) {
        return main.select(WORD_RULE.ID, WORD_RULE.SITE_ID, WORD_RULE.PATTERN, WORD_RULE.ACTION, ACCOUNT.DISPLAY_NAME)
                .from(WORD_RULE)
                .join(ACCOUNT).on(ACCOUNT.ID.eq(WORD_RULE.CREATED_BY))
                .where(WORD_RULE.SITE_ID.in(siteIds))
                .orderBy(WORD_RULE.ID.desc())
                .fetch(r -> new WordRule(r.get(WORD_RULE.ID), r.get(WORD_RULE.SITE_ID), r.get(WORD_RULE.PATTERN),
                        r.get(WORD_RULE.ACTION), r.get(ACCOUNT.DISPLAY_NAME)));
    }

    public long addWord(long siteId, String pattern, String action, long createdBy) {
        return main.insertInto(WORD_RULE, WORD_RULE.SITE_ID, WORD_RULE.PATTERN, WORD_RULE.ACTION, WORD_RULE.CREATED_BY)
                .values(siteId, pattern, action, createdBy)
                .returning(WORD_RULE.ID)
                .fetchOne(WORD_RULE.ID);
    }

    public List<Trusted> trusted(Collection<Long> siteIds) {
        return main.select(TRUSTED_AUTHOR.SITE_ID, TRUSTED_AUTHOR.ACCOUNT_ID, ACCOUNT.DISPLAY_NAME, ACCOUNT.EMAIL)
                .from(TRUSTED_AUTHOR)
                .join(ACCOUNT).on(ACCOUNT.ID.eq(TRUSTED_AUTHOR.ACCOUNT_ID))
                .where(TRUSTED_AUTHOR.SITE_ID.in(siteIds))
                .orderBy(ACCOUNT.DISPLAY_NAME)
                .fetch(r -> new Trusted(r.get(TRUSTED_AUTHOR.SITE_ID), r.get(TRUSTED_AUTHOR.ACCOUNT_ID),
                        r.get(ACCOUNT.DISPLAY_NAME), r.get(ACCOUNT.EMAIL)));
    }

    public boolean isTrusted(long siteId, long accountId) {
        return main.fetchExists(TRUSTED_AUTHOR, TRUSTED_AUTHOR.SITE_ID.eq(siteId).and(TRUSTED_AUTHOR.ACCOUNT_ID.eq(accountId)));
    }

    /** @return false when the account was already trusted there */
    public boolean trust(long siteId, long accountId, long createdBy) {
        return main.insertInto(TRUSTED_AUTHOR, TRUSTED_AUTHOR.SITE_ID, TRUSTED_AUTHOR.ACCOUNT_ID, TRUSTED_AUTHOR.CREATED_BY)
                .values(siteId, accountId, createdBy)
                .onConflictDoNothing()
                .execute() == 1;
    }
}
