package org.parley.moderation;

import org.parley.account.Account;
import org.parley.comment.PostingRules;
import org.parley.site.Site;
import org.parley.web.HttpError;

/**
 * The moderation side of posting: what the site's bans say about the author. Asked only when someone posts (never
 * when a page is read), so a ban costs one statement per comment written and nothing per page view.
 */
public final class PostingChecks implements PostingRules {
    private final Bans bans;

    public PostingChecks(Bans bans) {
        this.bans = bans;
    }

    @Override
    public Verdict check(Site site, Account viewer, String email, String ip, String source) {
        var ban = bans.matching(site.id(), viewer == null ? null : viewer.id(), email, ip);
        if (ban.isPresent() && !ban.get().shadow()) {
            throw new HttpError(403, "You cannot comment on this site (" + ban.get().reason() + ").");
        }
        return new Verdict(ban.isPresent(), false, null);
    }
}
