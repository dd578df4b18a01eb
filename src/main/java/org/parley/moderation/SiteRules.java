package org.parley.moderation;

import org.jooq.DSLContext;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import static org.parley.db.main.Tables.ACCOUNT;
import static org.parley.db.main.Tables.TRUSTED_AUTHOR;
import static org.parley.db.main.Tables.WORD_RULE;

/**
 * The SQL of a site's posting rules as the console keeps them (main schema): word rules and trusted authors. A post
 * reads them, with the rest of what it is checked against, in one statement of {@link PostingFacts}.
 */
public final class SiteRules {
    /** Word rules are matched case-insensitively, Unicode-aware: moderators write "viagra", not "(?i)viagra". */
    public static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    /** A word rule; {@code action} is {@code reject} or {@code pending}. */
    public record WordRule(long id, long siteId, String pattern, String action, String createdByName) {
    }

    /** A trusted author as the console lists them. */
    public record Trusted(long siteId, long accountId, String name, String email) {
    }

    private final DSLContext main;

    public SiteRules(DSLContext main) {
        this.main = main;
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
