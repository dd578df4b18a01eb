package org.parley.webhook;

import org.parley.site.EventType;

import java.time.OffsetDateTime;
import java.util.Set;

/** One of a site's webhooks: where Parley POSTs the events it asks for, and the secret that signs them. */
public record Webhook(long id, long siteId, String url, String secret, Set<EventType> events,
                      OffsetDateTime createdAt) {
    public Webhook {
        events = Set.copyOf(events);
    }

    public boolean wants(EventType event) {
        return events.contains(event);
    }
}
