/**
 * Caching: one {@link org.parley.cache.Cache} interface over Memcached (several nodes, consistent hashing), Redis
 * (a server, a master behind Sentinel, or a Cluster) or, in the embedded default, this process's memory. A cache
 * only ever makes Parley faster: every call has a short timeout and a failing cache answers like an empty one, so
 * a shared cache slow or down makes pages slower, never wrong and never an error. Keys come from
 * {@link org.parley.cache.CacheKeys}, so user-supplied parts (thread keys, names) can never break the protocol.
 * Decisions are in docs/caching.md.
 */
package org.parley.cache;
