/**
 * The HTTP plumbing every feature shares: templates, the single error path (HttpError → ErrorFilter → ErrorPages), and the request log with request ids and SQL counts.
 * The client's address comes from X-Forwarded-For only through configured proxies (ClientAddressFilter, TrustedProxies).
 * Also the guards in front of every feature: the request body limit (BodyLimitFilter, 413) and rate limits (RateLimits over a CounterStore, 429 with Retry-After).
 */
package org.parley.web;
