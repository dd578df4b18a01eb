package org.parley.notify;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.jooq.Record;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.discussion.NotificationEvents;
import org.parley.mail.Mail;
import org.parley.mail.MailTemplates;
import org.parley.outbox.Courier;
import org.parley.outbox.DeliveryFailure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.THREAD;

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
    private static final int EXCERPT = 400;

    private final Databases databases;
    private final AccountRepository accounts;
    private final Subscribers subscribers;
    private final SubscriberTokens tokens;
    private final MailTemplates templates;
    private final Courier mail;

    public NotificationCourier(Databases databases, AccountRepository accounts, Subscribers subscribers,
                               SubscriberTokens tokens, MailTemplates templates, Courier mail) {
        this.databases = databases;
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
            default -> throw DeliveryFailure.permanent("unknown notification type " + event.get("type"), null);
        };
    }

    /** What a notification needs of a comment and its thread. */
    private record Written(long id, String state, boolean shadow, Long accountId, String name, String guestEmail,
                           String body, boolean notifyReplies, String threadTitle, String threadKey) {
        boolean isPublic() {
            return state.equals("approved") && !shadow;
        }
    }

    private Delivered reply(long replyId, long parentId) throws DeliveryFailure {
        Map<Long, Written> found = comments(replyId, parentId);
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
        Optional<String> address = confirmedAddress(parent);
        if (address.isEmpty()) {
            return Delivered.dropped("the author's address is not confirmed");
        }
        if (subscribers.of(address.get()).filter(Subscribers.Subscriber::repliesOff).isPresent()) {
            return Delivered.dropped("the author unsubscribed from replies");
        }
        String title = title(parent);
        Map<String, Object> model = new HashMap<>();
        model.put("name", parent.name());
        model.put("replier", reply.name());
        model.put("title", title);
        model.put("excerpt", excerpt(reply.body()));
        model.put("link", templates.link("/c/" + replyId));
        String unsubscribe = templates.link("/unsubscribe?token=" + encode(tokens.unsubscribe(address.get())));
        Mail composed = templates.render("reply", Locale.ENGLISH, address.get(), model,
                        Optional.of(commentMessageId(parentId)), Optional.of(unsubscribe), reply.name())
                .withMessageId(commentMessageId(replyId));
        return mail.deliver(composed.toJson());
    }

    private Delivered confirmation(long commentId) throws DeliveryFailure {
        Written comment = comments(commentId).get(commentId);
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
        model.put("title", title(comment));
        model.put("link", templates.link("/notifications/confirm?token=" + encode(tokens.confirm(email))));
        return mail.deliver(templates.render("confirm-notifications", Locale.ENGLISH, email, model).toJson());
    }

    /** A member's verified account address, or a guest's address once confirmed. */
    private Optional<String> confirmedAddress(Written author) {
        if (author.accountId() != null) {
            return accounts.byId(author.accountId())
                    .map(Account::email)
                    .filter(Objects::nonNull)
                    .filter(email -> accounts.verified(author.accountId())
                            || subscribers.of(email).filter(Subscribers.Subscriber::confirmed).isPresent());
        }
        return Optional.ofNullable(author.guestEmail())
                .filter(email -> subscribers.of(email).filter(Subscribers.Subscriber::confirmed).isPresent());
    }

    /** The comments (all in one shard: IDs carry it), read on the primary: the write just committed there. */
    private Map<Long, Written> comments(long... ids) {
        Map<Long, Written> found = new HashMap<>();
        databases.write(Ids.shardOf(ids[0]))
                .select(COMMENT.ID, COMMENT.STATE, COMMENT.SHADOW, COMMENT.AUTHOR_ACCOUNT_ID, COMMENT.AUTHOR_NAME,
                        COMMENT.AUTHOR_EMAIL, COMMENT.BODY_SOURCE, COMMENT.NOTIFY_REPLIES, THREAD.TITLE, THREAD.KEY)
                .from(COMMENT).join(THREAD).on(THREAD.ID.eq(COMMENT.THREAD_ID))
                .where(COMMENT.ID.in(java.util.Arrays.stream(ids).boxed().toList()))
                .fetch()
                .forEach(r -> found.put(r.get(COMMENT.ID), written(r)));
        return found;
    }

    private static Written written(Record r) {
        return new Written(r.get(COMMENT.ID), r.get(COMMENT.STATE), r.get(COMMENT.SHADOW),
                r.get(COMMENT.AUTHOR_ACCOUNT_ID), r.get(COMMENT.AUTHOR_NAME), r.get(COMMENT.AUTHOR_EMAIL),
                r.get(COMMENT.BODY_SOURCE), r.get(COMMENT.NOTIFY_REPLIES), r.get(THREAD.TITLE), r.get(THREAD.KEY));
    }

    private static String title(Written comment) {
        return comment.threadTitle() == null || comment.threadTitle().isBlank() ? comment.threadKey()
                : comment.threadTitle();
    }

    /** The Message-ID of the mail about a comment: replies to one comment thread under it in a mail client. */
    private String commentMessageId(long commentId) {
        String id = templates.messageId();
        return "<comment-" + commentId + id.substring(id.indexOf('@'));
    }

    private static String excerpt(String body) {
        String text = body.strip();
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT).strip() + "…";
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
