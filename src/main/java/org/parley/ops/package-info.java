/**
 * What operators and balancers talk to: liveness and readiness, logging format, and the instance's view of
 * itself — /metrics in Prometheus text from the Dropwizard registry (names: docs/metrics.md).
 */
package org.parley.ops;
