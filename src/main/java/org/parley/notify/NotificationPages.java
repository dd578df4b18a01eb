package org.parley.notify;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.discussion.ThreadFollowers;
import org.parley.web.HttpError;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.Map;

/**
 * The pages the links in notification mails open. The signed token in the link is the authority, so none needs a
 * session or a CSRF token: the unsubscribe POST comes from the reader's mail provider (RFC 8058 one-click, body
 * {@code List-Unsubscribe=One-Click}) as often as from the page's button, and both are honoured at once.
 */
public final class NotificationPages {
    private final Subscribers subscribers;
    private final SubscriberTokens tokens;
    private final Databases databases;
    private final Templates templates;

    public NotificationPages(Subscribers subscribers, SubscriberTokens tokens, Databases databases,
                             Templates templates) {
        this.subscribers = subscribers;
        this.databases = databases;
        this.tokens = tokens;
        this.templates = templates;
    }

    /** GET /notifications/confirm?token= — the guest's double opt-in. */
    public void confirm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String email = tokens.confirmedAddress(req.getParameter("token"))
                .orElseThrow(() -> new HttpError(400, "This confirmation link has expired or is not complete. Ask for"
                        + " replies again when you next comment.", "token"));
        subscribers.confirm(email, req.getLocale());
        page(req, resp, "notify/confirmed", email);
    }

    /**
     * POST /notifications/digest?token= — a guest's choice of how replies reach them (at once, hourly, daily), from
     * the confirmation or unsubscribe page; the address's unsubscribe token is its authority, as for unsubscribing.
     */
    public void digest(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String email = unsubscribed(req);
        Subscribers.Digest digest;
        try {
            digest = Subscribers.Digest.of(req.getParameter("digest"));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("Choose how replies reach you: at once, hourly or daily.", "digest");
        }
        subscribers.setDigest(email, digest, req.getLocale());
        page(req, resp, "notify/digest", email);
    }

    /** GET /unsubscribe?token= — the page behind the mail's link, with one button. */
    public void unsubscribeForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        page(req, resp, "notify/unsubscribe", unsubscribed(req));
    }

    /** POST /unsubscribe?token= — the button, or the mail provider's one-click request. */
    public void unsubscribe(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String email = unsubscribed(req);
        subscribers.unsubscribe(email);
        page(req, resp, "notify/unsubscribed", email);
    }

    /** GET /unfollow?token= — the link in a thread's mails: one button. */
    public void unfollowForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        following(req);
        page(req, resp, "notify/unfollow", "");
    }

    /** POST /unfollow?token= — the button, or the mail provider's one-click request. */
    public void unfollow(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        SubscriberTokens.Following f = following(req);
        ThreadFollowers.unfollow(databases.write(Ids.shardOf(f.threadId())), f.threadId(), f.accountId());
        page(req, resp, "notify/unfollowed", "");
    }

    private SubscriberTokens.Following following(HttpServletRequest req) {
        return tokens.following(req.getParameter("token"))
                .filter(f -> Ids.shardOf(f.threadId()) < databases.shardMap().shardCount())
                .orElseThrow(() -> new HttpError(400, "This link is not complete: use the whole link from the mail.",
                        "token"));
    }

    private String unsubscribed(HttpServletRequest req) {
        return tokens.unsubscribedAddress(req.getParameter("token"))
                .orElseThrow(() -> new HttpError(400, "This unsubscribe link is not complete: use the whole link from"
                        + " the mail.", "token"));
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, String template, String email)
            throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Referrer-Policy", "same-origin");
        templates.render(req, resp, template, Map.of("email", email, "token", String.valueOf(req.getParameter("token")),
                "embed", false, "unsubscribeToken", email.isEmpty() ? "" : tokens.unsubscribe(email),
                "digest", email.isEmpty() ? "immediately" : subscribers.digestOf(email).column()));
    }
}
