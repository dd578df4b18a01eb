-- An address Parley may mail notifications to, whoever owns it (a guest's, or a member's account address):
-- confirmed once by double opt-in (a member's verified account address counts as confirmed), and switched off by
-- the one-click unsubscribe link in every notification. Keyed by the lower-cased address.
CREATE TABLE subscriber (
    email           text        PRIMARY KEY CONSTRAINT subscriber_email_check CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    confirmed_at    timestamptz,
    -- the last confirmation mail: at most one a day, so the comment form cannot be used to flood an inbox
    confirm_sent_at timestamptz,
    replies_off_at  timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('mail', 'webhook', 'notification'));
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK (state IN ('queued', 'sent', 'held', 'dead', 'dropped'));
