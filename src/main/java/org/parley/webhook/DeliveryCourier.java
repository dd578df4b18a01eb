package org.parley.webhook;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.parley.outbox.Courier;
import org.parley.outbox.DeliveryFailure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * POSTs one delivery to its hook: the body as queued, signed now ({@link WebhookSignature}). A 2xx answer is
 * "sent"; anything else (another status, a refused connection, no answer within {@link #TIMEOUT}) is tried again
 * with the outbox's backoff, and after the last try the delivery is dead, to redeliver from the hook's page.
 * Redirects are not followed: a hook's address is the one its owner typed. A deleted hook's deliveries are dropped.
 */
public final class DeliveryCourier implements Courier {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int ANSWER_SHOWN = 200;

    private final WebhookRepository hooks;
    private final WebhookAddress addresses;
    private final Clock clock;
    private final String userAgent;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public DeliveryCourier(WebhookRepository hooks, boolean privateAllowed, Clock clock, String version) {
        this.hooks = hooks;
        this.addresses = new WebhookAddress(privateAllowed);
        this.clock = clock;
        this.userAgent = "Parley-Webhooks/" + version;
    }

    @Override
    public String kind() {
        return WebhookRepository.DELIVERY_KIND;
    }

    @Override
    public Delivered deliver(String payload) throws DeliveryFailure {
        Map<String, Object> delivery;
        long hookId;
        try {
            delivery = JSONObjectUtils.parse(payload);
            hookId = Long.parseLong(String.valueOf(delivery.get("hook")));
        } catch (ParseException | NumberFormatException e) {
            throw DeliveryFailure.permanent("not a webhook delivery: " + e.getMessage(), e);
        }
        Optional<Webhook> hook = hooks.byId(hookId);
        if (hook.isEmpty()) {
            return Delivered.dropped("the webhook was deleted");
        }
        URI url = URI.create(hook.get().url());
        // English: the reason is kept in the delivery log, which every owner reads the same
        Optional<String> refused = addresses.destinationProblem(url.getHost(), Locale.ENGLISH);
        if (refused.isPresent()) {
            throw DeliveryFailure.temporary(refused.get(), null);
        }
        String body = String.valueOf(delivery.get("body"));
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", userAgent)
                .header("Parley-Event", String.valueOf(delivery.get("type")))
                .header("Parley-Delivery", String.valueOf(delivery.get("event")))
                .header(WebhookSignature.HEADER,
                        WebhookSignature.header(hook.get().secret(), clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        Answer answer = send(request, url);
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return new Delivered("sent", "HTTP " + status);
        }
        String said = answer.text();
        throw DeliveryFailure.temporary("HTTP " + status + (said.isEmpty() ? "" : ": " + said), null);
    }

    /** The receiver's status and the start of what it said. */
    private record Answer(int status, String text) {
    }

    /**
     * Sends and reads the answer's first bytes, all within {@link #TIMEOUT} plus a little: the client's own timeout
     * ends with the headers, and a receiver that sends headers and then nothing would otherwise hold this
     * delivery (and its outbox batch) forever. On the deadline the answer's stream is closed, which ends the read.
     */
    private Answer send(HttpRequest request, URI url) throws DeliveryFailure {
        java.util.concurrent.CompletableFuture<Answer> answer = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<java.io.InputStream> body =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = Thread.ofVirtual().name("webhook-delivery").start(() -> {
            try {
                HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                body.set(response.body());
                try (var in = response.body()) {
                    answer.complete(new Answer(response.statusCode(),
                            new String(in.readNBytes(ANSWER_SHOWN), StandardCharsets.UTF_8).strip()));
                }
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(TIMEOUT.plusSeconds(2).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            java.io.InputStream stream = body.get();
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // closing is all that is left to do
                }
            }
            reader.interrupt();
            throw DeliveryFailure.temporary("no complete answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailure.temporary("interrupted while delivering", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw DeliveryFailure.temporary("no answer within " + TIMEOUT.toSeconds() + " s", cause);
            }
            if (cause instanceof IOException io) {
                throw DeliveryFailure.temporary("could not reach " + url.getHost() + ": " + describe(io), io);
            }
            throw DeliveryFailure.temporary("the delivery failed: " + cause, cause);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName().equals("ConnectException") ? "connection refused"
                    : e.getClass().getSimpleName();
        }
        return message;
    }
}
