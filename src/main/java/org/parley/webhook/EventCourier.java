package org.parley.webhook;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.jooq.DSLContext;
import org.parley.api.ApiJson;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentThread;
import org.parley.discussion.ThreadRepository;
import org.parley.discussion.WebhookEvents;
import org.parley.outbox.Courier;
import org.parley.outbox.DeliveryFailure;
import org.parley.site.EventType;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.Json;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an event a write recorded in its shard's outbox into one delivery per hook that wants it, in main.outbox,
 * with the body they all get: what happened, when, and the comment and thread as the moderators see them (the
 * API's shapes) — the comment's state as the event left it, the rest as it is now. Expanding twice queues nothing more (see {@link WebhookRepository#queue}).
 */
public final class EventCourier implements Courier {
    private final Databases databases;
    private final WebhookRepository hooks;
    private final SiteRepository sites;
    private final ThreadRepository threads;
    private final CommentRepository comments = new CommentRepository();
    private final ApiJson json;

    public EventCourier(Databases databases, WebhookRepository hooks, SiteRepository sites, ThreadRepository threads,
                        ApiJson json) {
        this.databases = databases;
        this.hooks = hooks;
        this.sites = sites;
        this.threads = threads;
        this.json = json;
    }

    @Override
    public String kind() {
        return WebhookEvents.KIND;
    }

    @Override
    public Delivered deliver(String payload) throws DeliveryFailure {
        Map<String, Object> event;
        EventType type;
        long siteId;
        try {
            event = JSONObjectUtils.parse(payload);
            type = EventType.of(String.valueOf(event.get("type"))).orElseThrow(() -> new ParseException(
                    "unknown event type " + event.get("type"), 0));
            siteId = ((Number) event.get("site")).longValue();
        } catch (ParseException | ClassCastException | NullPointerException e) {
            throw DeliveryFailure.permanent("not an event: " + e.getMessage(), e);
        }
        List<Webhook> wanting = hooks.wanting(siteId, type);
        Optional<Site> site = sites.byId(siteId);
        if (wanting.isEmpty() || site.isEmpty()) {
            return Delivered.dropped("no webhook wants " + type.wireName() + " any more");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", String.valueOf(event.get("event")));
        body.put("type", type.wireName());
        body.put("createdAt", String.valueOf(event.get("at")));
        body.put("site", site.get().name());
        if (!subject(event, site.get(), body)) {
            return Delivered.dropped("the " + (event.containsKey("thread") ? "thread" : "comment") + " is gone");
        }
        String text = Json.object(body);
        String eventId = String.valueOf(event.get("event"));
        databases.main().transaction(tx -> wanting.forEach(hook ->
                WebhookRepository.queue(tx.dsl(), hook.id(), eventId, type.wireName(), text)));
        return new Delivered("expanded", wanting.size() + " webhook deliver" + (wanting.size() == 1 ? "y" : "ies")
                + " queued");
    }

    /** Puts the comment (and its thread) or the thread into the body; false when it no longer exists. */
    private boolean subject(Map<String, Object> event, Site site, Map<String, Object> body) {
        if (event.get("thread") instanceof Number threadId) {
            DSLContext shard = databases.write(Ids.shardOf(threadId.longValue()));
            Optional<CommentThread> thread = threads.byId(shard, threadId.longValue());
            thread.ifPresent(t -> body.put("thread", json.thread(site.name(), t)));
            return thread.isPresent();
        }
        long commentId = ((Number) event.get("comment")).longValue();
        DSLContext shard = databases.write(Ids.shardOf(commentId));
        Optional<CommentRepository.Located> located = comments.locate(shard, commentId);
        Optional<CommentThread> thread = located.flatMap(l -> threads.byId(shard, l.threadId()));
        if (thread.isEmpty()) {
            return false;
        }
        Map<String, Object> comment = json.moderatedComment(located.get().comment());
        if (event.get("state") instanceof String state) {
            comment.put("state", state); // as it was right after the event, not as it is now
        }
        body.put("comment", comment);
        body.put("thread", json.thread(site.name(), thread.get()));
        return true;
    }
}
