-- Reply notifications as a digest: a subscriber (an address) chooses to get them at once, or at most one mail an
-- hour or a day listing the replies since the last. Replies waiting for the next digest are digest_item rows; the
-- outbox row that brought one ends 'batched'.
ALTER TABLE subscriber ADD COLUMN digest text NOT NULL DEFAULT 'immediately'
    CONSTRAINT subscriber_digest_check CHECK (digest IN ('immediately', 'hourly', 'daily'));
ALTER TABLE subscriber ADD COLUMN last_digest_at timestamptz;

CREATE TABLE digest_item (
    email      text        NOT NULL,
    reply_id   bigint      NOT NULL,
    parent_id  bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (email, reply_id)
);

ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check
    CHECK (state IN ('queued', 'sent', 'held', 'dead', 'dropped', 'batched', 'expanded'));
