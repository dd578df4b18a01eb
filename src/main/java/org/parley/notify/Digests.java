package org.parley.notify;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.parley.data.Databases;
import org.parley.data.FleetJobs;
import org.parley.data.Ids;
import org.parley.mail.Mail;
import org.parley.mail.MailTemplates;
import org.parley.notify.NotifiedComments.Written;
import org.parley.outbox.Outbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.parley.db.main.Tables.DIGEST_ITEM;
import static org.parley.db.main.Tables.SUBSCRIBER;

/**
 * The hourly and daily digests of reply notifications: every minute, the instance that takes the advisory lock
 * finds the addresses whose digest is due (replies waiting, and the last digest an hour or a day ago), and writes
 * one mail each to main.outbox listing the replies that are still public — in the same transaction that clears
 * those replies and records the digest, so a reply is in exactly one digest whichever instance runs it.
 */
public final class Digests implements AutoCloseable {

    private final Databases databases;
    private final NotifiedComments comments;
    private final Subscribers subscribers;
    private final SubscriberTokens tokens;
    private final MailTemplates templates;
    private AutoCloseable schedule = () -> { };

    public Digests(Databases databases, Subscribers subscribers, SubscriberTokens tokens, MailTemplates templates) {
        this.databases = databases;
        this.comments = new NotifiedComments(databases);
        this.subscribers = subscribers;
        this.tokens = tokens;
        this.templates = templates;
    }

    public Digests start() {
        schedule = FleetJobs.every(Duration.ofMinutes(1), "digests", this::runOnce);
        return this;
    }

    /** Writes the digests that are due now; returns how many. */
    public int runOnce() {
        return FleetJobs.once(databases.main(), "digests", main -> {
            int written = 0;
            for (var due : main.select(SUBSCRIBER.EMAIL, SUBSCRIBER.DIGEST).from(SUBSCRIBER)
                    .where(SUBSCRIBER.DIGEST.ne(Subscribers.Digest.IMMEDIATELY.column()))
                    .and(SUBSCRIBER.REPLIES_OFF_AT.isNull())
                    .and(DSL.exists(DSL.selectOne().from(DIGEST_ITEM).where(DIGEST_ITEM.EMAIL.eq(SUBSCRIBER.EMAIL))))
                    .and(SUBSCRIBER.LAST_DIGEST_AT.isNull().or(SUBSCRIBER.LAST_DIGEST_AT.le(DSL.field(
                            "now() - CASE {0} WHEN 'hourly' THEN interval '1 hour' ELSE interval '1 day' END",
                            OffsetDateTime.class, SUBSCRIBER.DIGEST))))
                    .fetch()) {
                if (digest(main, due.value1(), Subscribers.Digest.of(due.value2()))) {
                    written++;
                }
            }
            return written;
        }).orElse(0);
    }

    /** One address's digest: true when a mail was written (false when none of its replies is public any more). */
    private boolean digest(DSLContext main, String email, Subscribers.Digest every) {
        var items = main.select(DIGEST_ITEM.REPLY_ID, DIGEST_ITEM.PARENT_ID).from(DIGEST_ITEM)
                .where(DIGEST_ITEM.EMAIL.eq(email)).orderBy(DIGEST_ITEM.CREATED_AT, DIGEST_ITEM.REPLY_ID).fetch();
        // one read per shard the replies are on (a reply and its parent share one), not one per reply
        Map<Integer, List<Long>> byShard = new java.util.TreeMap<>();
        for (var item : items) {
            List<Long> ids = byShard.computeIfAbsent(Ids.shardOf(item.value1()), shard -> new ArrayList<>());
            ids.add(item.value1());
            ids.add(item.value2());
        }
        Map<Long, Written> found = new HashMap<>();
        byShard.values().forEach(ids -> found.putAll(comments.of(ids.stream().mapToLong(Long::longValue).toArray())));
        List<Map<String, Object>> replies = new ArrayList<>();
        String name = null;
        for (var item : items) {
            Written reply = found.get(item.value1());
            Written parent = found.get(item.value2());
            if (reply == null || parent == null || !reply.isPublic() || !parent.isPublic()) {
                continue; // removed since: not in the digest
            }
            name = parent.name();
            Map<String, Object> one = new HashMap<>();
            one.put("replier", reply.name());
            one.put("title", parent.title());
            one.put("excerpt", reply.excerpt());
            one.put("link", templates.link("/c/" + reply.id()));
            replies.add(one);
        }
        main.deleteFrom(DIGEST_ITEM).where(DIGEST_ITEM.EMAIL.eq(email))
                .and(DIGEST_ITEM.REPLY_ID.in(items.getValues(DIGEST_ITEM.REPLY_ID))).execute();
        main.update(SUBSCRIBER).set(SUBSCRIBER.LAST_DIGEST_AT, DSL.currentOffsetDateTime())
                .where(SUBSCRIBER.EMAIL.eq(email)).execute();
        if (replies.isEmpty()) {
            return false;
        }
        String unsubscribe = templates.link("/unsubscribe?token="
                + URLEncoder.encode(tokens.unsubscribe(email), StandardCharsets.UTF_8));
        Mail mail = templates.render("digest", subscribers.languageOf(email), email,
                Map.of("name", name, "replies", replies, "every", every.column()), Optional.empty(),
                Optional.of(unsubscribe), replies.size());
        Outbox.addToMain(main, Mail.KIND, mail.toJson());
        return true;
    }

    @Override
    public void close() throws Exception {
        schedule.close();
    }
}
