/**
 * What operators and balancers talk to: liveness and readiness, logging format, and the instance's view of
 * itself — /metrics in Prometheus text from the Dropwizard registry, recent unexpected errors (and Sentry), and
 * the query inspector for administrators (docs/metrics.md).
 */
package org.parley.ops;
