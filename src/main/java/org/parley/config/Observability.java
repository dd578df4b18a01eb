package org.parley.config;

/**
 * The operator's side of an instance's self-reporting: who may read /metrics.
 *
 * @param metricsToken PARLEY_METRICS_TOKEN; empty = /metrics for this machine only
 */
public record Observability(String metricsToken) {
    static final int MIN_TOKEN_LENGTH = 16;

    /** The masked description: the token is a secret. */
    @Override
    public String toString() {
        return "Observability[metricsToken=" + (metricsToken.isEmpty() ? "" : "****") + "]";
    }
}
