package org.parley.edge;

import jakarta.servlet.http.HttpServletResponse;

/**
 * What a guest's shared thread page tells the edge, on top of its ordinary Cache-Control (which stays the same:
 * nginx's micro-cache and browsers go on obeying it, and neither is purged). With no edge configured, nothing.
 * <ul>
 *   <li>{@code Surrogate-Key: parley-t-ID parley-s-ID} — space-separated, as Fastly and the shipped VCL read it;
 *   <li>{@code Cache-Tag: parley-t-ID,parley-s-ID} — comma-separated, as Cloudflare reads it;
 *   <li>the edge's own lifetime: {@code Surrogate-Control: max-age=TTL} (Fastly, Varnish with the shipped VCL;
 *       both remove it before the browser sees it) or {@code Cloudflare-CDN-Cache-Control: max-age=TTL}
 *       (Cloudflare, which does not pass it on). CloudFront reads neither: its lifetime is the distribution's
 *       minimum TTL (docs/cdn.md), since raising s-maxage would make nginx keep the page unpurged as well.
 * </ul>
 * A page rendered from a row older than the thread's cached version (a lagging replica, just after the purge) gets
 * none of them: the edge keeps it only for the ordinary s-maxage and asks again (discussion.ThreadPages).
 */
public final class EdgeHeaders {
    public static final EdgeHeaders NONE = new EdgeHeaders(EdgeSettings.NONE);

    private final EdgeSettings edge;

    public EdgeHeaders(EdgeSettings edge) {
        this.edge = edge;
    }

    /** Adds the edge's headers to a guest's copy of a thread page (a 200 or a 304 of it). */
    public void addTo(HttpServletResponse resp, long threadId, long siteId) {
        if (!edge.configured()) {
            return;
        }
        String thread = SurrogateKeys.thread(threadId);
        String site = SurrogateKeys.site(siteId);
        resp.setHeader("Surrogate-Key", thread + " " + site);
        resp.setHeader("Cache-Tag", thread + "," + site);
        String lifetime = "max-age=" + edge.ttl().toSeconds();
        switch (edge.provider()) {
            case VARNISH, FASTLY -> resp.setHeader("Surrogate-Control", lifetime);
            case CLOUDFLARE -> resp.setHeader("Cloudflare-CDN-Cache-Control", lifetime);
            default -> {
                // CloudFront: the distribution's minimum TTL (see above)
            }
        }
    }
}
