-- Cold threads published as static snapshots on the CDN's bucket (docs/cdn.md, "Cold threads as static
-- snapshots"): the thread version a snapshot was rendered from, NULL while there is none. Any write that bumps
-- a thread with a snapshot queues its removal (snapshot-remove in the outbox), whose courier clears this column
-- once the objects are gone; the partial index finds the threads without one that have gone cold.
ALTER TABLE thread ADD COLUMN snapshot_version bigint;
CREATE INDEX thread_unsnapshotted ON thread ((coalesce(last_activity_at, created_at)), id)
    WHERE snapshot_version IS NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('mail', 'webhook', 'notification', 'event', 'edge-purge', 'snapshot-remove'));
