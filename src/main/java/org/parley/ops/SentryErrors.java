package org.parley.ops;

import io.sentry.Sentry;
import io.sentry.SentryLevel;
import jakarta.servlet.http.HttpServletRequest;
import org.parley.web.Routes;
import org.parley.web.UnexpectedErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends unexpected errors to Sentry (PARLEY_SENTRY_DSN), tagged with the request id the user saw on the error
 * page and the route. Created only when a DSN is set, so without one nothing leaves the process. Sentry's
 * client is process-wide: one per JVM, sending from its own background thread; {@link #close()} flushes it.
 * Its own habits are switched off — no global uncaught-exception handler, no shutdown hook (Parley closes it in
 * order), no personal data.
 */
public final class SentryErrors implements UnexpectedErrors, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SentryErrors.class);

    private SentryErrors() {
    }

    public static SentryErrors start(String dsn, String release) {
        Sentry.init(options -> {
            options.setDsn(dsn);
            options.setRelease(release);
            options.setEnableUncaughtExceptionHandler(false);
            options.setEnableShutdownHook(false);
            options.setSendDefaultPii(false);
        });
        log.info("Unexpected errors are reported to Sentry (PARLEY_SENTRY_DSN)");
        return new SentryErrors();
    }

    @Override
    public void report(HttpServletRequest req, String requestId, Throwable error) {
        Sentry.withScope(scope -> {
            scope.setLevel(SentryLevel.ERROR);
            scope.setTag("request_id", requestId);
            scope.setTag("route", Routes.of(req));
            scope.setTag("method", req.getMethod());
            Sentry.captureException(error);
        });
    }

    @Override
    public void close() {
        Sentry.close();
    }

    @Override
    public String toString() {
        return "Sentry";
    }
}
