/**
 * The edge in front of thread pages (Varnish or a CDN: Fastly, Cloudflare, CloudFront). Guests' thread pages name
 * their thread and site in surrogate keys ({@link org.parley.edge.SurrogateKeys}) and ask the edge to keep them for
 * long ({@link org.parley.edge.EdgeHeaders}), because every write that changes a thread page queues a purge of its
 * thread's key in the shard's outbox, in the write's own transaction ({@link org.parley.edge.EdgePurges}); the
 * outbox delivers it after commit, retried with backoff ({@link org.parley.edge.PurgeCourier}) through the
 * provider's {@link org.parley.edge.EdgePurge}. See docs/cdn.md, "Edge caching with purge".
 */
package org.parley.edge;
