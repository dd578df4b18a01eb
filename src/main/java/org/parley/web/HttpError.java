package org.parley.web;

import java.util.OptionalLong;

/**
 * An early exit with a status and a sentence for the user ("No such discussion"). Thrown anywhere in a request;
 * {@link ErrorFilter} renders it as the error page or, under /api/, as a JSON problem.
 */
public final class HttpError extends RuntimeException {
    private static final long NO_RETRY_AFTER = -1;

    private final int status;
    private final String field;
    private final long retryAfterSeconds;

    public HttpError(int status, String message) {
        this(status, message, null);
    }

    /** An input error tied to one form or JSON field, so the form can show it beside that field. */
    public HttpError(int status, String message, String field) {
        this(status, message, field, NO_RETRY_AFTER);
    }

    private HttpError(int status, String message, String field, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
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

    /** 429 with a Retry-After header, so browsers, scripts and proxies all know when to come back. */
    public static HttpError tooManyRequests(String message, long retryAfterSeconds) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative, got " + retryAfterSeconds);
        }
        return new HttpError(429, message, null, retryAfterSeconds);
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

    /** The same refusal naming another field: a service's "name" is the API's "author.name". */
    public HttpError withField(String other) {
        return new HttpError(status, getMessage(), other, retryAfterSeconds);
    }

    public String field() {
        return field;
    }

    /** Seconds the client should wait before trying again (the Retry-After header), when the error says so. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == NO_RETRY_AFTER ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
