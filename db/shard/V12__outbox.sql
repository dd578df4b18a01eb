-- The shard's outbox: mails and webhooks caused by writes to this shard's threads, committed with them. Same shape
-- and life cycle as main.outbox (see db/main/V14__outbox.sql); IDs come from the shard's own next_id(), so rows keep
-- them when the schema moves to another cluster.
CREATE TABLE outbox (
    id         bigint      PRIMARY KEY DEFAULT ${flyway:defaultSchema}.next_id(),
    kind       text        NOT NULL CONSTRAINT outbox_kind_check CHECK (kind IN ('mail', 'webhook')),
    payload    jsonb       NOT NULL,
    state      text        NOT NULL DEFAULT 'queued' CONSTRAINT outbox_state_check CHECK (state IN ('queued', 'sent', 'held', 'dead')),
    attempts   integer     NOT NULL DEFAULT 0,
    due_at     timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    done_at    timestamptz,
    last_error text
);
CREATE INDEX outbox_due ON outbox (due_at) WHERE state = 'queued';
CREATE INDEX outbox_created ON outbox (created_at DESC, id DESC);
