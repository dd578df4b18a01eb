package org.parley.config;

import java.net.URI;

/**
 * The operator's side of an instance's self-reporting: who may read /metrics, where unexpected errors are sent,
 * how many requests the query inspector keeps.
 *
 * @param metricsToken PARLEY_METRICS_TOKEN; empty = /metrics for this machine only
 * @param sentryDsn    PARLEY_SENTRY_DSN; empty = no error reporting over the network
 * @param inspectorSampleRate PARLEY_INSPECTOR_SAMPLE_RATE, 0 to 1
 */
public record Observability(String metricsToken, String sentryDsn, double inspectorSampleRate) {
    public static final int MIN_TOKEN_LENGTH = 16;

    /** The masked description: the token and DSN are secrets. */
    @Override
    public String toString() {
        return "Observability[metricsToken=" + (metricsToken.isEmpty() ? "" : "****") + ", sentryDsn="
                + (sentryDsn.isEmpty() ? "" : "****") + ", inspectorSampleRate=" + inspectorSampleRate + "]";
    }

    public static boolean looksLikeDsn(String text) {
        try {
            URI uri = URI.create(text);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() != null && !uri.getUserInfo().isEmpty()
                    && uri.getPath() != null && uri.getPath().matches("(/[^/]+)*/[^/]+/?");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
