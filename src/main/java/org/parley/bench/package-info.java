/**
 * The benchmark's dataset: sites and threads of 10 to 50 000 (or more) comments with realistic bodies, written
 * straight into the real schema fast enough for millions of rows ({@code parley bench-data}, used by
 * {@code bench/run}). Every row is what posting would have written: the thread's shard, IDs from that shard's
 * {@code next_id()}, the body rendered by {@link org.parley.discussion.Markdown}, and every denormalised counter
 * (thread count and version, reply counts, paths, depths) right. It goes around the services on purpose: posting
 * one comment at a time is a transaction per comment, which is what the benchmark measures, not how to load it.
 */
package org.parley.bench;
