-- When each moderator was last mailed that comments wait for them: the alert job mails a moderator at most once per
-- PARLEY_MODERATOR_MAIL_MINUTES, and only about comments held or flagged since this time.
CREATE TABLE moderator_alert (
    account_id   bigint      PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    last_sent_at timestamptz NOT NULL
);
