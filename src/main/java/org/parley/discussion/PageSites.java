package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import org.parley.site.Site;
import org.parley.site.SiteRepository;

import java.util.List;
import java.util.Optional;

/**
 * A thread page's site as the page shows it, from the object cache and looked up once per request however many
 * ways of serving the page ask (revalidation, the stored page, the stale copy while the database is away, the
 * render). An embed's site comes with the origins that may frame it, read by {@link EmbedFraming} when it ran.
 */
final class PageSites {
    /** Who may frame a standalone page: only Parley itself. */
    static final List<String> STANDALONE_ANCESTORS = List.of("'self'");

    /** The site, and who may frame the page (its origins for an embed, else Parley). */
    record PageSite(Site site, List<String> ancestors) {
        String stamp() {
            return PageTags.siteStamp(site, ancestors);
        }
    }

    private static final String ATTRIBUTE = PageSite.class.getName();

    private final SiteRepository sites;

    PageSites(SiteRepository sites) {
        this.sites = sites;
    }

    Optional<PageSite> of(HttpServletRequest req, PageAddress address) {
        return of(req, address, null);
    }

    /**
     * The cache key a standalone page's site is read under, while this request has not read it: for reading it
     * together with the thread's version, in one round trip. Empty for an embed, whose site {@link EmbedFraming}
     * has read already.
     */
    Optional<String> unreadKey(HttpServletRequest req, PageAddress address) {
        return address.embed() || req.getAttribute(ATTRIBUTE) != null ? Optional.empty()
                : Optional.of(sites.byNameKey(address.site()));
    }

    /** {@link #of} with the cache's answer for {@link #unreadKey} already read (null: not read). */
    Optional<PageSite> of(HttpServletRequest req, PageAddress address, Optional<String> cached) {
        @SuppressWarnings("unchecked")
        Optional<PageSite> known = (Optional<PageSite>) req.getAttribute(ATTRIBUTE);
        if (known == null) {
            known = address.embed()
                    ? withOrigins(req, address.site()).map(s -> new PageSite(s.site(), s.origins()))
                    : (cached == null ? sites.byName(address.site()) : sites.byName(address.site(), cached))
                            .map(s -> new PageSite(s, STANDALONE_ANCESTORS));
            req.setAttribute(ATTRIBUTE, known);
            known.ifPresent(s -> org.parley.web.Languages.siteDefault(req, s.site().language()));
        }
        return known;
    }

    /** The embed's site and origins as EmbedFraming read them for this request (no second lookup), else read now. */
    Optional<SiteRepository.SiteWithOrigins> withOrigins(HttpServletRequest req, String name) {
        return EmbedFraming.siteRead(req, name).or(() -> sites.withOrigins(name));
    }

    /** A standalone page's site; the site object alone, since nothing but Parley frames it. */
    Optional<Site> byName(String name) {
        return sites.byName(name);
    }
}
