-- Comments accepted while their shard's primary could not be reached (docs/spool.md). Each row already carries
-- the comment's ID (minted from the shard's upper sequence half, see shard V18), so replaying it is exactly-once:
-- a replay that finds the ID on the shard only marks the row. Rows stay a day after replay, for the visitor's
-- "saved" page to forward to the comment and for the console.
CREATE TABLE comment_spool (
    seq            bigint      GENERATED ALWAYS AS IDENTITY CONSTRAINT comment_spool_pkey PRIMARY KEY,
    -- the ID given when spooled, which the author's "saved" address names
    spooled_id     bigint      NOT NULL CONSTRAINT comment_spool_spooled_id_key UNIQUE,
    -- the ID it is written under: the same, unless its thread was started after it was spooled (by a view once the
    -- primary was back), when the replay gives it a newer one first (a thread's comments are younger than it)
    comment_id     bigint      NOT NULL CONSTRAINT comment_spool_comment_id_key UNIQUE,
    shard          integer     NOT NULL,
    site_id        bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    thread_key     text        NOT NULL,
    thread_url     text,
    thread_title   text,
    account_id     bigint      REFERENCES account (id) ON DELETE CASCADE,
    parent_id      bigint,
    body           text        NOT NULL,
    guest_name     text,
    guest_email    text,
    notify_replies boolean     NOT NULL DEFAULT false,
    follow_thread  boolean     NOT NULL DEFAULT false,
    ip             text,
    -- sent with an API key: the key's site takes the comment as a guest's even where guests may not post
    by_api_key     boolean     NOT NULL DEFAULT false,
    -- where the visitor goes back to: the standalone or embed address of the thread
    page_url       text        NOT NULL,
    -- the visitor's proof on the "saved" page, so nobody else reads a comment that may be held for moderation
    view_token     text        NOT NULL,
    spooled_by     text        NOT NULL,
    spooled_at     timestamptz NOT NULL DEFAULT now(),
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text,
    replayed_at    timestamptz,
    -- what the replay made of it: the comment's state, or refused (a rule, a closed thread) with the reason
    outcome        text        CONSTRAINT comment_spool_outcome CHECK (outcome IN ('approved', 'pending', 'spam', 'refused')),
    outcome_detail text
);
-- numbers the spooled IDs' sequence field (modulo 512), so two instances spooling in one millisecond differ
CREATE SEQUENCE comment_spool_id_seq;
CREATE INDEX comment_spool_waiting ON comment_spool (shard, seq) WHERE replayed_at IS NULL;
CREATE INDEX comment_spool_by_site ON comment_spool (site_id, seq);
