package org.parley.moderation;

import org.parley.account.Account;
import org.parley.discussion.PostingRules;
import org.parley.site.Site;
import org.parley.web.HttpError;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The moderation side of posting, in the order an author is told: a ban refuses, a reject word refuses, then a
 * pending word, the link limit and first-comment-is-pending hold the comment with a reason, and the spam heuristics
 * ({@link SpamSignals}) send it to the spam queue with a reason. Asked only when someone posts (never when a page is
 * read): two statements per comment written (everything it is checked against, {@link PostingFacts}; the spam
 * trail), nothing per page view.
 */
public final class PostingChecks implements PostingRules {
    private final PostingFacts facts;
    private final SpamSignals spam;

    public PostingChecks(PostingFacts facts, SpamSignals spam) {
        this.facts = facts;
        this.spam = spam;
    }

    @Override
    public Verdict check(Site site, Account viewer, String email, String ip, String source) {
        Long accountId = viewer == null ? null : viewer.id();
        PostingFacts.Facts r = facts.read(site.id(), accountId, email, ip);
        var ban = r.ban();
        if (ban.isPresent() && !ban.get().shadow()) {
            // the reason as the moderator wrote it, in the moderator's language
            throw HttpError.worded(403, "comment.error.banned", ban.get().reason());
        }
        if (anyMatches(r.reject(), source)) {
            throw HttpError.wordedField(400, "body", "comment.error.word");
        }
        String hold = null;
        for (int i = 0; i < r.hold().size() && hold == null; i++) {
            if (WordMatch.find(r.hold().get(i), source)) {
                hold = "matches the word rule " + r.holdSources().get(i);
            }
        }
        long links = SpamSignals.links(source);
        if (hold == null && r.maxLinks() != null && links > r.maxLinks()) {
            hold = links + " links (this site allows " + r.maxLinks() + ")";
        }
        if (hold == null && r.firstCommentPending() && !r.trusted() && !r.known()) {
            hold = "first comment on this site";
        }
        // trusted authors are not second-guessed; everyone else's post is recorded and weighed (one statement)
        String spamReason = r.trusted() || !r.spamChecks() ? null : spam.check(site.id(), accountId, ip, source, links);
        return new Verdict(ban.isPresent(), r.trusted(), hold == null ? null : truncate(hold),
                spamReason == null ? null : truncate(spamReason));
    }

    private static boolean anyMatches(List<Pattern> patterns, String source) {
        for (Pattern p : patterns) {
            if (WordMatch.find(p, source)) {
                return true;
            }
        }
        return false;
    }

    private static String truncate(String reason) {
        return reason.length() <= 200 ? reason : reason.substring(0, 199) + "…";
    }
}
