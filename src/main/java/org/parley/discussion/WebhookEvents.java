package org.parley.discussion;

import org.jooq.DSLContext;
import org.parley.outbox.Outbox;
import org.parley.site.EventType;
import org.parley.site.HookedEvents;
import org.parley.web.Json;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Records what happened for a site's webhooks, in the transaction of the change: one "event" row in the shard's
 * outbox, only if one of the site's hooks wants that event. The row names the event, the comment (with its state
 * after the change) or thread; the webhook courier reads them when it turns the event into one delivery per hook,
 * so the write path does no more than this INSERT. The event's id (a UUID) is what receivers deduplicate on: delivery is at least once.
 */
public final class WebhookEvents {
    public static final String KIND = "event";
    /** Records nothing: for tools and tests that write without webhooks. */
    public static final WebhookEvents NONE = new WebhookEvents(HookedEvents.NONE);

    private final HookedEvents hooked;

    public WebhookEvents(HookedEvents hooked) {
        this.hooked = hooked;
    }

    /** What a site's hooks want, read before a write's transaction and handed into it (see {@link #prepare}). */
    public record Prepared(long siteId, java.util.Set<EventType> wanted) {
    }

    /**
     * A comment event. {@code state} is the comment's state right after the change: the body reports it, so a
     * comment approved a moment later still arrives as "pending" in its comment.created.
     */
    public void comment(DSLContext tx, long siteId, EventType type, long commentId, CommentView.State state) {
        record(tx, siteId, type, Map.of("comment", commentId, "state", state.column()));
    }

    /** The same, with what the site's hooks want as read before the transaction: no cache round trip inside it. */
    public void comment(DSLContext tx, Prepared prepared, EventType type, long commentId, CommentView.State state) {
        if (prepared.wanted().contains(type)) {
            add(tx, prepared.siteId(), type, Map.of("comment", commentId, "state", state.column()));
        }
    }

    public void thread(DSLContext tx, Prepared prepared, long threadId) {
        if (prepared.wanted().contains(EventType.THREAD_CREATED)) {
            add(tx, prepared.siteId(), EventType.THREAD_CREATED, Map.of("thread", threadId));
        }
    }

    /** Whether any of the site's hooks wants {@code type} (so a caller can skip work that only feeds the event). */
    public boolean wanted(long siteId, EventType type) {
        return hooked.wants(siteId, type);
    }

    /**
     * Reads which events the site's hooks want, before a write opens its transaction, to be handed into it: a
     * write must not read main (or wait for the cache) while it holds its row locks (see
     * {@link HookedEvents#wantsIfKnown}), and one read serves every event the write records.
     */
    public Prepared prepare(long siteId) {
        return new Prepared(siteId, hooked.wanted(siteId));
    }

    /**
     * Records the event when a hook wants it, or when that is not known without reading main (a site not prepared,
     * or its cached answer just expired): an event no hook wants is dropped by the courier, a second connection
     * taken inside the caller's transaction could wait forever.
     */
    private void record(DSLContext tx, long siteId, EventType type, Map<String, Object> subject) {
        if (hooked.wantsIfKnown(siteId, type).orElse(true)) {
            add(tx, siteId, type, subject);
        }
    }

    private static void add(DSLContext tx, long siteId, EventType type, Map<String, Object> subject) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", UUID.randomUUID().toString());
        event.put("type", type.wireName());
        event.put("site", siteId);
        event.put("at", Instant.now().toString());
        event.putAll(subject);
        Outbox.addToShard(tx, KIND, Json.object(event));
    }
}
