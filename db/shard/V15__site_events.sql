-- 'event': something happened to a comment or thread of a site that has webhooks for it (comment.created, …),
-- written in the transaction of the change. The webhook courier turns it into one delivery per hook in main.outbox.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('mail', 'webhook', 'notification', 'event'));
