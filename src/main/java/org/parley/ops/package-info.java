/**
 * What operators and balancers talk to: liveness and readiness ("this instance can serve": started, not
 * draining — never "the database answers", which every instance shares), the drain on SIGTERM (readiness fails
 * first, so the balancer stops sending traffic before the server stops), the request limit probes skip, logging format, and the instance's view of
 * itself — /metrics in Prometheus text from the Dropwizard registry, recent unexpected errors (and Sentry), and
 * the query inspector for administrators (docs/metrics.md).
 */
package org.parley.ops;
