-- The author asked to be mailed replies to this comment ("notify me of replies" on the form). Where the mail goes
-- is decided when a reply comes: the account's current, verified address, or the guest's confirmed one.
ALTER TABLE comment ADD COLUMN notify_replies boolean NOT NULL DEFAULT false;

-- Notifications are outbox rows too, composed when they are delivered (so an unsubscribe or a removed reply that
-- happens before then is honoured); 'dropped' = there was nothing to send any more, with the reason in last_error.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('mail', 'webhook', 'notification'));
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK (state IN ('queued', 'sent', 'held', 'dead', 'dropped'));
