/**
 * What operators and balancers talk to: liveness and readiness, the drain on SIGTERM (readiness fails first, so
 * the balancer stops sending traffic before the server stops), logging format.
 */
package org.parley.ops;
