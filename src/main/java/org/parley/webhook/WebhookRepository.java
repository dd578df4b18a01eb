package org.parley.webhook;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.site.EventType;
import org.parley.web.Json;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.parley.db.main.Tables.OUTBOX;
import static org.parley.db.main.Tables.WEBHOOK;

/**
 * Webhooks and their deliveries, in main. A delivery is a main.outbox row of kind {@value #DELIVERY_KIND}: the
 * outbox worker sends it like a mail, with the same retries and dead letters; its payload names the hook and the
 * event and carries the body as the exact text to sign.
 */
public final class WebhookRepository {
    public static final String DELIVERY_KIND = "webhook";
    /** How many deliveries a hook's page lists, newest first. */
    public static final int LOG_LENGTH = 50;
    /** A site's limit: each hook is one more POST per event. */
    public static final int MAX_PER_SITE = 10;
    private static final Field<String> HOOK_OF_DELIVERY = payloadText("hook");
    private static final Field<String> EVENT_OF_DELIVERY = payloadText("event");
    private static final Field<String> TYPE_OF_DELIVERY = payloadText("type");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One delivery as the hook's page lists it. */
    public record Delivery(long id, String event, String type, String state, int attempts, OffsetDateTime createdAt,
                           OffsetDateTime dueAt, OffsetDateTime doneAt, String lastError) {
    }

    private final DSLContext main;

    public WebhookRepository(DSLContext main) {
        this.main = main;
    }

    public List<Webhook> of(long siteId) {
        return main.selectFrom(WEBHOOK).where(WEBHOOK.SITE_ID.eq(siteId)).orderBy(WEBHOOK.ID)
                .fetch(WebhookRepository::toHook);
    }

    /** The site's hooks that want {@code event}. */
    public List<Webhook> wanting(long siteId, EventType event) {
        return main.selectFrom(WEBHOOK)
                .where(WEBHOOK.SITE_ID.eq(siteId))
                .and(DSL.val(event.wireName()).eq(DSL.any(WEBHOOK.EVENTS)))
                .orderBy(WEBHOOK.ID)
                .fetch(WebhookRepository::toHook);
    }

    public Optional<Webhook> byId(long id) {
        return main.selectFrom(WEBHOOK).where(WEBHOOK.ID.eq(id)).fetchOptional(WebhookRepository::toHook);
    }

    /** A new hook with a new random secret. */
    public Webhook create(long siteId, String url, Set<EventType> events, long createdBy) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        return main.insertInto(WEBHOOK)
                .set(WEBHOOK.SITE_ID, siteId)
                .set(WEBHOOK.URL, url)
                .set(WEBHOOK.SECRET, secret)
                .set(WEBHOOK.EVENTS, events.stream().map(EventType::wireName).sorted().toArray(String[]::new))
                .set(WEBHOOK.CREATED_BY, createdBy)
                .returning()
                .fetchSingle(WebhookRepository::toHook);
    }

    /** Deletes the hook; its queued deliveries are dropped by the courier when it finds the hook gone. */
    public boolean delete(long siteId, long id) {
        return main.deleteFrom(WEBHOOK).where(WEBHOOK.ID.eq(id)).and(WEBHOOK.SITE_ID.eq(siteId)).execute() == 1;
    }

    /**
     * Queues one delivery of an event to a hook, in {@code tx}. A second call for the same (event, hook) does
     * nothing (a unique index): an event expanded twice is still delivered once per hook.
     */
    public static void queue(DSLContext tx, long hookId, String eventId, String type, String body) {
        tx.insertInto(OUTBOX)
                .set(OUTBOX.KIND, DELIVERY_KIND)
                .set(OUTBOX.PAYLOAD, JSONB.valueOf(Json.object(Map.of(
                        "hook", Long.toString(hookId), "event", eventId, "type", type, "body", body))))
                .onConflictDoNothing()
                .execute();
    }

    /** Queues a "ping" to one hook: the console's test button. */
    public void queuePing(long hookId, String eventId, String body) {
        queue(main, hookId, eventId, "ping", body);
    }

    public List<Delivery> deliveries(long hookId) {
        return main.select(OUTBOX.ID, EVENT_OF_DELIVERY, TYPE_OF_DELIVERY, OUTBOX.STATE, OUTBOX.ATTEMPTS, OUTBOX.CREATED_AT, OUTBOX.DUE_AT,
                        OUTBOX.DONE_AT, OUTBOX.LAST_ERROR)
                .from(OUTBOX)
                .where(OUTBOX.KIND.eq(DELIVERY_KIND))
                .and(HOOK_OF_DELIVERY.eq(Long.toString(hookId)))
                .orderBy(OUTBOX.CREATED_AT.desc(), OUTBOX.ID.desc())
                .limit(LOG_LENGTH)
                .fetch(WebhookRepository::toDelivery);
    }

    /** One delivery of the hook, with the body it sends. */
    public Optional<String> body(long hookId, long deliveryId) {
        return main.select(payloadText("body"))
                .from(OUTBOX)
                .where(OUTBOX.ID.eq(deliveryId)).and(OUTBOX.KIND.eq(DELIVERY_KIND))
                .and(HOOK_OF_DELIVERY.eq(Long.toString(hookId)))
                .fetchOptional(0, String.class);
    }

    /**
     * Sends a delivery again, due now with its tries counted afresh: a sent one too (the receiver lost it), but
     * not one still queued (it is on its way).
     */
    public boolean redeliver(long hookId, long deliveryId) {
        return main.update(OUTBOX)
                .set(OUTBOX.STATE, "queued")
                .set(OUTBOX.ATTEMPTS, 0)
                .set(OUTBOX.DUE_AT, DSL.currentOffsetDateTime())
                .set(OUTBOX.DONE_AT, (OffsetDateTime) null)
                .where(OUTBOX.ID.eq(deliveryId)).and(OUTBOX.KIND.eq(DELIVERY_KIND))
                .and(HOOK_OF_DELIVERY.eq(Long.toString(hookId)))
                .and(OUTBOX.STATE.ne("queued"))
                .execute() == 1;
    }

    private static Field<String> payloadText(String key) {
        return DSL.field("{0} ->> {1}", String.class, OUTBOX.PAYLOAD, DSL.inline(key));
    }

    private static Webhook toHook(Record r) {
        Set<EventType> events = EnumSet.noneOf(EventType.class);
        Arrays.stream(r.get(WEBHOOK.EVENTS)).map(EventType::of).flatMap(Optional::stream).forEach(events::add);
        return new Webhook(r.get(WEBHOOK.ID), r.get(WEBHOOK.SITE_ID), r.get(WEBHOOK.URL), r.get(WEBHOOK.SECRET),
                events, r.get(WEBHOOK.CREATED_AT));
    }

    private static Delivery toDelivery(Record r) {
        return new Delivery(r.get(OUTBOX.ID), r.get(EVENT_OF_DELIVERY), r.get(TYPE_OF_DELIVERY),
                r.get(OUTBOX.STATE), r.get(OUTBOX.ATTEMPTS), r.get(OUTBOX.CREATED_AT), r.get(OUTBOX.DUE_AT),
                r.get(OUTBOX.DONE_AT), r.get(OUTBOX.LAST_ERROR));
    }
}
