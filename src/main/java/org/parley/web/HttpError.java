package org.parley.web;

/**
 * An early exit with a status and a sentence for the user ("No such discussion"). Thrown anywhere in a request;
 * {@link ErrorFilter} renders it as the error page or, under /api/, as a JSON problem.
 */
public final class HttpError extends RuntimeException {
    private final int status;
    private final String field;

    public HttpError(int status, String message) {
        this(status, message, null);
    }

    /** An input error tied to one form or JSON field, so the form can show it beside that field. */
    public HttpError(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    public static HttpError badRequest(String message, String field) {
        return new HttpError(400, message, field);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
