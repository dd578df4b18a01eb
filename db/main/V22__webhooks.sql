-- A site's webhooks: Parley POSTs the events each one asks for to its URL, signed with its secret (docs/webhooks.md).
-- The secret is kept as typed, not hashed: Parley needs it to sign every delivery, and the owners read it from the
-- console to check signatures on their side.
CREATE TABLE webhook (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id    bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    url        text        NOT NULL CONSTRAINT webhook_url_check CHECK (url ~ '^https?://' AND length(url) <= 2000),
    secret     text        NOT NULL CONSTRAINT webhook_secret_check CHECK (length(secret) >= 32),
    events     text[]      NOT NULL CONSTRAINT webhook_events_check CHECK (cardinality(events) > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint      REFERENCES account (id) ON DELETE SET NULL
);
CREATE INDEX webhook_site ON webhook (site_id);

-- Deliveries are main.outbox rows of kind 'webhook', one per (event, hook). An event is turned into its deliveries
-- at least once (the shard row that carries it may be claimed again after a crash), so this index makes the second
-- time a no-op: each hook gets each event once, however often it is expanded.
CREATE UNIQUE INDEX outbox_webhook_once ON outbox ((payload ->> 'event'), (payload ->> 'hook')) WHERE kind = 'webhook';
-- a hook's delivery log in the console, newest first
CREATE INDEX outbox_webhook_log ON outbox ((payload ->> 'hook'), created_at DESC) WHERE kind = 'webhook';
