package org.parley.discussion;

import org.parley.account.Account;
import org.parley.site.Site;

/**
 * The site's moderation rules, asked once per post before anything is written. It lives here as an interface so
 * that commenting does not depend on the moderation package (which implements it, see
 * {@code org.parley.moderation.PostingChecks}); a refusal (a ban, a forbidden word) is thrown as an
 * {@link org.parley.web.HttpError} with the sentence the author sees.
 */
public interface PostingRules {

    /** Allows everything: for tools and tests that build threads without a moderation setup. */
    PostingRules NONE = (site, viewer, email, ip, source) -> Verdict.ALLOW;

    /**
     * What happens to an allowed comment.
     *
     * @param shadow     stored as approved but shown only to its author (shadow ban)
     * @param trusted    skips pre-moderation (a trusted author)
     * @param holdReason non-null: goes to the pending queue for this reason, even on a site without pre-moderation
     * @param spamReason non-null: goes to the spam queue for this reason (wins over holdReason)
     */
    record Verdict(boolean shadow, boolean trusted, String holdReason, String spamReason) {
        public static final Verdict ALLOW = new Verdict(false, false, null, null);
    }

    /**
     * @param email the author's email (the account's, or the guest's optional one), may be null
     * @param source the comment's cleaned Markdown source
     */
    Verdict check(Site site, Account viewer, String email, String ip, String source);
}
