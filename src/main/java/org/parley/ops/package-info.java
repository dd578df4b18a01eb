/**
 * What operators and balancers talk to: liveness and readiness, logging format.
 */
package org.parley.ops;
