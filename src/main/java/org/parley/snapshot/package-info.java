/**
 * Cold threads as static snapshots (docs/cdn.md, "Cold threads as static snapshots"): a thread without writes for
 * PARLEY_SNAPSHOT_AFTER_DAYS is rendered once per language and uploaded to the CDN's bucket, where the embed loads
 * it without asking any Parley instance ({@link org.parley.snapshot.ColdSnapshots}); a write to it queues the
 * snapshot's removal in the same transaction ({@link org.parley.snapshot.SnapshotRemovals}), delivered by the
 * outbox ({@link org.parley.snapshot.SnapshotCourier}). Sits below the features: it reads the thread table and
 * asks this instance's own embed page over HTTP, so the snapshot is byte for byte what a guest is sent.
 */
package org.parley.snapshot;
