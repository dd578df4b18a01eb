package org.parley.edge;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Which edge sits in front of the thread pages and how to purge it (PARLEY_EDGE_*).
 *
 * @param provider   {@link Provider#NONE}: no edge; pages carry the short shared lifetime of docs/caching.md only
 * @param ttl        how long the edge may keep a guest's thread page (it is purged on every change)
 * @param url        Varnish: the address purges are sent to; a CDN: its API's base URL (tests point it elsewhere)
 * @param target     Fastly service id, Cloudflare zone id or CloudFront distribution id; empty for Varnish
 * @param token      Fastly or Cloudflare API token; CloudFront: the AWS access key id (empty = AWS default chain)
 * @param secret     CloudFront: the AWS secret access key
 * @param publicPath CloudFront only: the path under which the distribution serves Parley's pages ("" = the root)
 */
public record EdgeSettings(Provider provider, Duration ttl, URI url, String target, String token, String secret,
                           String publicPath) {
    public static final Duration DEFAULT_TTL = Duration.ofDays(1);
    public static final EdgeSettings NONE = new EdgeSettings(Provider.NONE, DEFAULT_TTL, null, "", "", "", "");

    /** The edges Parley can purge, with the API each talks to unless PARLEY_EDGE_URL says otherwise. */
    public enum Provider {
        NONE(null), VARNISH(null), FASTLY("https://api.fastly.com"), CLOUDFLARE("https://api.cloudflare.com"),
        CLOUDFRONT("https://cloudfront.amazonaws.com");

        private final String defaultUrl;

        Provider(String defaultUrl) {
            this.defaultUrl = defaultUrl;
        }

        public Optional<URI> defaultUrl() {
            return Optional.ofNullable(defaultUrl).map(URI::create);
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean configured() {
        return provider != Provider.NONE;
    }

    /** Tokens and secrets stay out of logs and exception messages. */
    @Override
    public String toString() {
        return "EdgeSettings[" + provider.wireName() + (url == null ? "" : " at " + url) + " " + target
                + ", ttl " + ttl.toSeconds() + " s]";
    }
}
