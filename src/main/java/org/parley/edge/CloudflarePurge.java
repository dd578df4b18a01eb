package org.parley.edge;

import org.parley.outbox.DeliveryFailure;
import org.parley.web.Json;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Cloudflare's purge by cache tag: {@code POST /client/v4/zones/{zone_id}/purge_cache} with
 * {@code {"tags":["parley-t-ID"]}} and the API token as a Bearer token (it needs the zone's "Cache Purge" permission).
 */
final class CloudflarePurge implements EdgePurge {
    private final URI api;
    private final String zone;
    private final String token;

    CloudflarePurge(URI api, String zone, String token) {
        this.api = api;
        this.zone = zone;
        this.token = token;
    }

    @Override
    public void purge(Target target) throws DeliveryFailure {
        URI uri = PurgeHttp.under(api, "/client/v4/zones/" + zone + "/purge_cache");
        String body = Json.object(Map.of("tags", List.of(target.key())));
        HttpRequest request = PurgeHttp.request(uri)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        PurgeHttp.send(request, "Cloudflare purge of " + target.key());
    }
}
