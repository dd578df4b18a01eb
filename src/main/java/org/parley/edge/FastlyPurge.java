package org.parley.edge;

import org.parley.outbox.DeliveryFailure;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * Fastly's purge by surrogate key: {@code POST /service/{service_id}/purge/{key}} with the API token in
 * {@code Fastly-Key}. A hard purge (no {@code Fastly-Soft-Purge}): what a moderator removed must not be served
 * stale while Fastly revalidates.
 */
final class FastlyPurge implements EdgePurge {
    private final URI api;
    private final String service;
    private final String token;

    FastlyPurge(URI api, String service, String token) {
        this.api = api;
        this.service = service;
        this.token = token;
    }

    @Override
    public void purge(Target target) throws DeliveryFailure {
        URI uri = PurgeHttp.under(api, "/service/" + encode(service) + "/purge/"
                + encode(target.key()));
        HttpRequest request = PurgeHttp.request(uri)
                .header("Fastly-Key", token)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        PurgeHttp.send(request, "Fastly purge of " + target.key());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
