package org.parley.edge;

import org.parley.outbox.DeliveryFailure;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Sends one purge request and sorts its answer the outbox's way: 2xx done; 408, 429, 5xx and no answer are
 * temporary (the edge or its API is busy or away: tried again with backoff); any other status is permanent (a
 * wrong token, service or zone will not fix itself — dead-lettered, with the answer, for a person to read).
 */
final class PurgeHttp {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int ANSWER_SHOWN = 300;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private PurgeHttp() {
    }

    /** {@code path} under a provider's API address, however many slashes the setting ends in. */
    static java.net.URI under(java.net.URI api, String path) {
        return java.net.URI.create(api.toString().replaceFirst("/+$", "") + path);
    }

    static HttpRequest.Builder request(java.net.URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("User-Agent", "Parley-Edge-Purge");
    }

    /** @param what names the request in failures ("Fastly purge of parley-t-42") */
    static String send(HttpRequest request, String what) throws DeliveryFailure {
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw DeliveryFailure.temporary(what + ": no answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw DeliveryFailure.temporary(what + ": could not reach " + request.uri().getHost() + ":"
                    + request.uri().getPort() + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailure.temporary(what + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String body = response.body() == null ? "" : response.body().strip();
        String message = what + ": HTTP " + status
                + (body.isEmpty() ? "" : ": " + body.substring(0, Math.min(body.length(), ANSWER_SHOWN)));
        if (status == 408 || status == 429 || status >= 500) {
            throw DeliveryFailure.temporary(message, null);
        }
        throw DeliveryFailure.permanent(message, null);
    }
}
