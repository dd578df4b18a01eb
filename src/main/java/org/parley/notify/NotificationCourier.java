package org.parley.notify;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.data.Databases;
import org.parley.discussion.NotificationEvents;
import org.parley.discussion.ThreadFollowers;
import org.parley.outbox.Outbox;
import org.parley.notify.NotifiedComments.Written;
import org.parley.mail.Mail;
import org.parley.mail.MailTemplates;
import org.parley.outbox.Courier;
import org.parley.outbox.DeliveryFailure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;


/**
 * Delivers the "notification" rows comment writes leave in their shard's outbox: decides, now, whether anyone
 * is to be mailed and what, and hands the mail to the mail courier (SMTP, or held for the console).
 * <ul>
 *     <li>reply: to the parent comment's author, if they asked for replies, the reply and the parent are both
 *     public, the reply is not their own, and their address is confirmed (a member's verified account address,
 *     or a guest's address confirmed by its link) and not unsubscribed;</li>
 *     <li>confirm: the double opt-in mail to a guest who asked for replies, at most one a day per address and none
 *     once it is confirmed.</li>
 * </ul>
 * Anything else ends as "dropped", with the reason shown in the console.
 */
public final class NotificationCourier implements Courier {
    private final Databases databases;
    private final NotifiedComments comments;
    private final AccountRepository accounts;
    private final Subscribers subscribers;
    private final SubscriberTokens tokens;
    private final MailTemplates templates;
    private final Courier mail;

    public NotificationCourier(Databases databases, AccountRepository accounts, Subscribers subscribers,
                               SubscriberTokens tokens, MailTemplates templates, Courier mail) {
        this.databases = databases;
        this.comments = new NotifiedComments(databases);
        this.accounts = accounts;
        this.subscribers = subscribers;
        this.tokens = tokens;
        this.templates = templates;
        this.mail = mail;
    }

    @Override
    public String kind() {
        return NotificationEvents.KIND;
    }

    @Override
    public Delivered deliver(String payload) throws DeliveryFailure {
        Map<String, Object> event;
        try {
            event = JSONObjectUtils.parse(payload);
        } catch (ParseException e) {
            throw DeliveryFailure.permanent("not a notification: " + e.getMessage(), e);
        }
        return switch (String.valueOf(event.get("type"))) {
            case NotificationEvents.REPLY -> reply(number(event, "reply"), number(event, "parent"));
            case NotificationEvents.CONFIRM -> confirmation(number(event, "comment"));
            case NotificationEvents.THREAD -> followers(number(event, "comment"));
            default -> throw DeliveryFailure.permanent("unknown notification type " + event.get("type"), null);
        };
    }

    private Delivered reply(long replyId, long parentId) throws DeliveryFailure {
        Map<Long, Written> found = comments.of(replyId, parentId);
        Written reply = found.get(replyId);
        Written parent = found.get(parentId);
        if (reply == null || !reply.isPublic()) {
            return Delivered.dropped("the reply is not public (any more)");
        }
        if (parent == null || !parent.isPublic()) {
            return Delivered.dropped("the comment replied to is not public (any more)");
        }
        if (!parent.notifyReplies()) {
            return Delivered.dropped("its author did not ask for replies");
        }
        if (parent.accountId() != null && parent.accountId().equals(reply.accountId())
                || parent.accountId() == null && reply.accountId() == null && parent.guestEmail() != null
                && parent.guestEmail().equalsIgnoreCase(String.valueOf(reply.guestEmail()))) {
            return Delivered.dropped("a reply to oneself");
        }
        Optional<String> address = addressOf(parent);
        // one read of what the address chose: confirmed, unsubscribed, digest, language
        Optional<Subscribers.Subscriber> subscriber = address.flatMap(subscribers::of);
        if (address.isEmpty() || !confirmed(parent, subscriber)) {
            return Delivered.dropped("the author's address is not confirmed");
        }
        if (subscriber.filter(Subscribers.Subscriber::repliesOff).isPresent()) {
            return Delivered.dropped("the author unsubscribed from replies");
        }
        Subscribers.Digest digest = subscriber.map(Subscribers.Subscriber::digest).orElse(Subscribers.Digest.IMMEDIATELY);
        if (digest != Subscribers.Digest.IMMEDIATELY) {
            subscribers.collect(address.get(), replyId, parentId);
            return new Delivered("batched", "kept for the " + digest.column() + " digest");
        }
        String title = parent.title();
        Map<String, Object> model = new HashMap<>();
        model.put("name", parent.name());
        model.put("replier", reply.name());
        model.put("title", title);
        model.put("excerpt", reply.excerpt());
        model.put("link", templates.link("/c/" + replyId));
        String unsubscribe = templates.link("/unsubscribe?token=" + encode(tokens.unsubscribe(address.get())));
        Locale language = parent.accountId() != null ? accounts.languageOf(parent.accountId())
                : subscriber.map(Subscribers.Subscriber::locale).orElse(Locale.ENGLISH);
        Mail composed = templates.render("reply", language, address.get(), model,
                        Optional.of(commentMessageId(parentId)), Optional.of(unsubscribe), reply.name())
                .withMessageId(commentMessageId(replyId));
        return mail.deliver(composed.toJson());
    }

    private Delivered confirmation(long commentId) throws DeliveryFailure {
        Written comment = comments.of(commentId).get(commentId);
        if (comment == null || comment.guestEmail() == null) {
            return Delivered.dropped("the comment or its address is gone");
        }
        String email = comment.guestEmail();
        if (subscribers.of(email).filter(Subscribers.Subscriber::confirmed).isPresent()) {
            return Delivered.dropped("the address is confirmed already");
        }
        if (!subscribers.takeConfirmationTurn(email)) {
            return Delivered.dropped("a confirmation went to this address in the last day");
        }
        Map<String, Object> model = new HashMap<>();
        model.put("name", comment.name());
        model.put("title", comment.title());
        model.put("link", templates.link("/notifications/confirm?token=" + encode(tokens.confirm(email))));
        // the guest has not opened anything of ours yet: the language of the page they commented on is not known
        return mail.deliver(templates.render("confirm-notifications", Locale.ENGLISH, email, model).toJson());
    }

    /**
     * A new top-level comment, for the thread's followers: one mail row each, written to the shard's outbox in one
     * transaction (so each follower is mailed once, and a failure to one does not resend to the others).
     */
    private Delivered followers(long commentId) {
        Written comment = comments.of(commentId).get(commentId);
        if (comment == null || !comment.isPublic()) {
            return Delivered.dropped("the comment is not public (any more)");
        }
        int shard = org.parley.data.Ids.shardOf(commentId);
        var db = databases.write(shard);
        List<Mail> mails = new ArrayList<>();
        for (long follower : ThreadFollowers.of(db, comment.threadId(), comment.accountId())) {
            Optional<Account> account = accounts.byId(follower)
                    .filter(a -> a.email() != null && accounts.verified(a.id()));
            if (account.isEmpty()) {
                continue;
            }
            String unfollow = templates.link("/unfollow?token=" + encode(tokens.unfollow(comment.threadId(), follower)));
            Map<String, Object> model = new HashMap<>();
            model.put("name", account.get().displayName());
            model.put("author", comment.name());
            model.put("title", comment.title());
            model.put("excerpt", comment.excerpt());
            model.put("link", templates.link("/c/" + commentId));
            mails.add(templates.render("thread", accounts.languageOf(follower), account.get().email(), model,
                    Optional.empty(),
                    Optional.of(unfollow), comment.title()).withMessageId(commentMessageId(commentId)));
        }
        if (mails.isEmpty()) {
            return Delivered.dropped("no follower with a confirmed address");
        }
        db.transaction(tx -> mails.forEach(m -> Outbox.addToShard(tx.dsl(), Mail.KIND, m.toJson())));
        return new Delivered("expanded", mails.size() + " follower mail(s) queued");
    }

    /** Where the author's notifications go: the member's account address, or the address the guest gave. */
    private Optional<String> addressOf(Written author) {
        return author.accountId() != null ? accounts.byId(author.accountId()).map(Account::email)
                : Optional.ofNullable(author.guestEmail());
    }

    /** A member's verified account address counts as confirmed; a guest's address needs its confirmation link. */
    private boolean confirmed(Written author, Optional<Subscribers.Subscriber> subscriber) {
        return subscriber.filter(Subscribers.Subscriber::confirmed).isPresent()
                || author.accountId() != null && accounts.verified(author.accountId());
    }

    /** The Message-ID of the mail about a comment: replies to one comment thread under it in a mail client. */
    private String commentMessageId(long commentId) {
        String id = templates.messageId();
        return "<comment-" + commentId + id.substring(id.indexOf('@'));
    }

    private static long number(Map<String, Object> event, String field) throws DeliveryFailure {
        if (event.get(field) instanceof Number n) {
            return n.longValue();
        }
        throw DeliveryFailure.permanent("a notification without '" + field + "'", null);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
