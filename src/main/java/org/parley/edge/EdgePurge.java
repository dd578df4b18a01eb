package org.parley.edge;

import org.parley.outbox.DeliveryFailure;

import java.util.List;

/**
 * Makes an edge forget a thread's pages. One implementation per provider, chosen by PARLEY_EDGE
 * ({@link #of}); called by {@link PurgeCourier} from the outbox, so a failure is retried with the outbox's backoff.
 */
public interface EdgePurge {
    /**
     * What to forget: the thread's surrogate key, and for an edge without keys (CloudFront) the addresses its pages
     * are served at.
     *
     * @param paths path patterns of the thread's pages, e.g. {@code /t/site/key*}
     */
    record Target(long threadId, long siteId, List<String> paths) {
        public String key() {
            return SurrogateKeys.thread(threadId);
        }
    }

    /** @throws DeliveryFailure temporary when the edge may accept it later (down, 5xx, 429), permanent otherwise */
    void purge(Target target) throws DeliveryFailure;

    /** Whether {@link Target#paths} is needed (costs the courier a look-up of the thread and its site). */
    default boolean needsPaths() {
        return false;
    }

    static EdgePurge of(EdgeSettings edge) {
        return switch (edge.provider()) {
            case VARNISH -> new VarnishPurge(edge.url());
            case FASTLY -> new FastlyPurge(edge.url(), edge.target(), edge.token());
            case CLOUDFLARE -> new CloudflarePurge(edge.url(), edge.target(), edge.token());
            case CLOUDFRONT -> new CloudFrontPurge(edge);
            case NONE -> throw new IllegalArgumentException("no edge configured: nothing to purge");
        };
    }
}
