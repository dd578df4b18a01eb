package org.parley.web;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * An early exit with a status and a sentence for the user ("No such discussion"). Thrown anywhere in a request;
 * {@link ErrorFilter} renders it as the error page or, under /api/, as a JSON problem. A sentence given as a
 * message key ({@link #worded}) is English in {@link #getMessage()} (logs, the JSON API's problems) and in the
 * reader's language on the error page ({@link #message(Locale)}).
 */
public final class HttpError extends RuntimeException {
    private static final long NO_RETRY_AFTER = -1;

    private final int status;
    private final String field;
    private final long retryAfterSeconds;
    /** The message key of the sentence, or null for a sentence given as text (English for every reader). */
    private final String key;
    private final Object[] args;

    public HttpError(int status, String message) {
        this(status, message, null);
    }

    /** An input error tied to one form or JSON field, so the form can show it beside that field. */
    public HttpError(int status, String message, String field) {
        this(status, message, field, NO_RETRY_AFTER);
    }

    private HttpError(int status, String message, String field, long retryAfterSeconds) {
        this(status, message, field, retryAfterSeconds, null, null);
    }

    private HttpError(int status, String message, String field, long retryAfterSeconds, String key, Object[] args) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
        this.key = key;
        this.args = args;
    }

    /**
     * A refusal whose sentence is the message {@code key} (i18n/messages*.properties) with {@code args}: the error
     * page shows it in the reader's language, programs and logs get the English one.
     */
    public static HttpError worded(int status, String key, Object... args) {
        return new HttpError(status, english(key, args), null, NO_RETRY_AFTER, key, args);
    }

    /** {@link #worded} for an input error tied to one form or JSON field. */
    public static HttpError wordedField(int status, String field, String key, Object... args) {
        return new HttpError(status, english(key, args), field, NO_RETRY_AFTER, key, args);
    }

    private static String english(String key, Object[] args) {
        String text = BundleMessageResolver.message(Locale.ENGLISH, key, args);
        if (text == null) {
            throw new IllegalArgumentException("no message " + key + " in i18n/messages.properties");
        }
        return text;
    }

    /** The sentence in {@code language} when it was given as a message key, else as it was written. */
    public String message(Locale language) {
        if (key == null) {
            return getMessage();
        }
        String text = BundleMessageResolver.message(language, key, args);
        return text == null ? getMessage() : text;
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    public static HttpError badRequest(String message, String field) {
        return new HttpError(400, message, field);
    }

    public static HttpError tooLarge(String message) {
        return new HttpError(413, message);
    }

    /**
     * 503 with a Retry-After header: something Parley depends on (the database) cannot serve this request now;
     * nothing is wrong with the request itself.
     */
    public static HttpError unavailable(String message, long retryAfterSeconds) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative, got " + retryAfterSeconds);
        }
        return new HttpError(503, message, null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    /**
     * The same refusal with a Retry-After header, so browsers, scripts and proxies all know when to come back: a
     * worded 429 (RateLimits) or 503.
     */
    public HttpError retryingAfter(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must not be negative, got " + seconds);
        }
        return new HttpError(status, getMessage(), field, seconds, key, args);
    }

    /** The same refusal naming another field: a service's "name" is the API's "author.name". */
    public HttpError withField(String other) {
        return new HttpError(status, getMessage(), other, retryAfterSeconds, key, args);
    }

    public String field() {
        return field;
    }

    /** Seconds the client should wait before trying again (the Retry-After header), when the error says so. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == NO_RETRY_AFTER ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }

    /**
     * Sets Retry-After on a response that shows this refusal itself (a form rendered again with the reason), as
     * the error pages do: a 429 or 503 without it leaves a client guessing when to try again.
     */
    public void announceRetryAfter(jakarta.servlet.http.HttpServletResponse resp) {
        retryAfterSeconds().ifPresent(seconds -> resp.setHeader("Retry-After", Long.toString(seconds)));
    }
}
