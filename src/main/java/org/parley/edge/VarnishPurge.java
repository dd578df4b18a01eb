package org.parley.edge;

import org.parley.outbox.DeliveryFailure;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Varnish running varnish/parley.vcl: a {@code BAN} request to its HTTP address carrying the key in
 * {@code X-Purge-Key}; the VCL accepts it only from its {@code purgers} ACL and bans every object whose
 * {@code Surrogate-Key} names the key (a ban, not a PURGE: one thread has many URLs — sorts, pages, embed, languages).
 */
final class VarnishPurge implements EdgePurge {
    static final String KEY_HEADER = "X-Purge-Key";

    private final URI url;

    VarnishPurge(URI url) {
        this.url = url;
    }

    @Override
    public void purge(Target target) throws DeliveryFailure {
        HttpRequest request = PurgeHttp.request(url.resolve("/"))
                .header(KEY_HEADER, target.key())
                .method("BAN", HttpRequest.BodyPublishers.noBody())
                .build();
        PurgeHttp.send(request, "Varnish ban of " + target.key() + " at " + url);
    }
}
