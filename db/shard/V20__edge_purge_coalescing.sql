-- At most one edge purge per thread waiting to be claimed: the writes that come while it waits (a popular thread's
-- votes and posts) only move it to their newer version (ON CONFLICT … DO UPDATE, which also holds the row until
-- the write commits, so the worker cannot claim and send it before the change it stands for is visible). Once
-- claimed (attempts > 0) it leaves this index, and the next write queues a new one.
CREATE UNIQUE INDEX outbox_edge_purge_waiting ON outbox ((payload ->> 'thread'))
    WHERE kind = 'edge-purge' AND state = 'queued' AND attempts = 0;
