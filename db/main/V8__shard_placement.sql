-- Where logical shards live once they have been moved (docs/shard-moves.md). PARLEY_SHARD_MAP is the initial
-- placement; a row here overrides it for its shard, so every instance, whatever its configuration says, reads
-- the same map: at start, every few seconds, and at once when a write meets a shard-move fence.
CREATE TABLE shard_placement (
    shard      integer     PRIMARY KEY CHECK (shard >= 0),
    cluster    text        NOT NULL CHECK (cluster ~ '^[a-z0-9_]+$'),
    placed_at  timestamptz NOT NULL DEFAULT now()
);

-- The state of a shard move, so that `parley move-shard` can be interrupted and run again (or aborted): each
-- step checks what the previous run got done. One row per shard; a finished move keeps its row (step 'done')
-- with the measured write pause until the next move of that shard replaces it.
CREATE TABLE shard_move (
    shard       integer     PRIMARY KEY CHECK (shard >= 0),
    source      text        NOT NULL,
    target      text        NOT NULL,
    step        text        NOT NULL CHECK (step IN ('started', 'schema_ready', 'copying', 'caught_up', 'fenced',
                                                     'flipped', 'done')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    fenced_at   timestamptz,
    pause_ms    integer
);
