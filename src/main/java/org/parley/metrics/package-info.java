/**
 * Metric plumbing shared by every layer: how Parley names a tagged metric and its total-time timer. Low in the
 * layers (the data layer times queries with it); what is measured and how it is exported lives in {@code ops}.
 */
package org.parley.metrics;
