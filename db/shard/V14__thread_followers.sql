-- Members who follow a thread: mailed each new top-level comment. follower_count lives on the thread row, which
-- every post updates anyway, so a post learns whether anyone follows without another statement.
CREATE TABLE thread_follower (
    thread_id  bigint      NOT NULL,
    account_id bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (thread_id, account_id)
);
ALTER TABLE thread ADD COLUMN follower_count integer NOT NULL DEFAULT 0;

-- 'batched': kept for a digest; 'expanded': a notification that became one mail row per follower
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check
    CHECK (state IN ('queued', 'sent', 'held', 'dead', 'dropped', 'batched', 'expanded'));
