-- Things to deliver after a commit (mails now, webhooks next), written in the same transaction as the event that
-- causes them, so an event is never without its mail and a rolled-back one never has one. Any instance delivers a
-- row: it claims it with FOR UPDATE SKIP LOCKED by moving due_at past a lease, so two instances never hold the same
-- row at once, and a claimer that dies mid-delivery only delays it by the lease. Each shard schema has the same
-- table for the events written there (a reply and its notification commit together); this one is for account
-- events (verification, password reset) that happen in main.
CREATE TABLE outbox (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text        NOT NULL CONSTRAINT outbox_kind_check CHECK (kind IN ('mail', 'webhook')),
    -- what the courier of this kind needs, complete: a mail is rendered when it is written, in its reader's language
    payload    jsonb       NOT NULL,
    -- queued: to deliver at due_at; sent: delivered; held: kept for the console's outgoing-mail page because no SMTP
    -- server is configured; dead: refused for good, or still failing after the last try (resend from the console)
    state      text        NOT NULL DEFAULT 'queued' CONSTRAINT outbox_state_check CHECK (state IN ('queued', 'sent', 'held', 'dead')),
    attempts   integer     NOT NULL DEFAULT 0,
    due_at     timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    done_at    timestamptz,
    last_error text
);
-- what the deliverers poll: only queued rows, by when they are due
CREATE INDEX outbox_due ON outbox (due_at) WHERE state = 'queued';
-- the console's list, newest first
CREATE INDEX outbox_created ON outbox (created_at DESC, id DESC);
