-- Comments, votes and flags live in their thread's shard, so a thread page never crosses shards.

-- A comment row carries everything its display needs (Disqus-style denormalisation): author name and
-- avatar, depth, materialised path, score, reply count, state. Writes keep these in the same transaction
-- as the row; a reconciliation job (scale-out issue) proves and repairs them.
--
-- Range-partitioned by ID, which is a range of time: recent partitions are hot, old ones historical.
-- ensure_comment_partitions() creates monthly partitions ahead; comment_p000000 holds everything older
-- than the month this migration ran in (imports with historical IDs land there).
CREATE TABLE comment (
    id                bigint      NOT NULL DEFAULT ${flyway:defaultSchema}.next_id(),
    thread_id         bigint      NOT NULL,
    -- the thread's site, copied here so moderation queues filter by site without joining threads
    site_id           bigint      NOT NULL,
    parent_id         bigint,
    -- the top-level ancestor (itself for a top-level comment): a page's replies are read by root_id
    root_id           bigint      NOT NULL,
    -- ancestors' IDs and its own as 16 hex digits joined by '.': ORDER BY path is depth-first, oldest first
    path              text        NOT NULL,
    depth             smallint    NOT NULL CHECK (depth >= 0),
    author_account_id bigint,
    author_name       text        NOT NULL CHECK (length(author_name) BETWEEN 1 AND 100),
    -- a guest's optional email: for notifications and moderators, never shown
    author_email      text        CHECK (length(author_email) <= 254),
    author_avatar     text        NOT NULL,
    -- raw user text, kept for editing — never rendered: body_html is the sanitised rendering
    body_source       text        NOT NULL,
    body_html         text        NOT NULL,
    state             text        NOT NULL DEFAULT 'approved'
                                  CHECK (state IN ('approved', 'pending', 'spam', 'deleted')),
    score             integer     NOT NULL DEFAULT 0,
    upvotes           integer     NOT NULL DEFAULT 0 CHECK (upvotes >= 0),
    downvotes         integer     NOT NULL DEFAULT 0 CHECK (downvotes >= 0),
    reply_count       integer     NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
    flag_count        integer     NOT NULL DEFAULT 0 CHECK (flag_count >= 0),
    ip                inet,
    created_at        timestamptz NOT NULL DEFAULT now(),
    edited_at         timestamptz,
    PRIMARY KEY (id)
) PARTITION BY RANGE (id);

-- Top-level comments of a thread, newest/oldest first (keyset pagination on id).
CREATE INDEX comment_top_by_id ON comment (thread_id, id) WHERE depth = 0;
-- Top-level comments of a thread, best first (keyset on score, id).
CREATE INDEX comment_top_by_score ON comment (thread_id, score, id) WHERE depth = 0;
-- All replies under a page of top-level comments, in reading order.
CREATE INDEX comment_subtree ON comment (thread_id, root_id, path);
-- Moderation queues of a site by state, newest first (pending, spam, deleted, and all recent).
CREATE INDEX comment_site_state ON comment (site_id, state, id);
CREATE INDEX comment_site_recent ON comment (site_id, id);
-- The flagged queue: public comments someone reported.
CREATE INDEX comment_site_flagged ON comment (site_id, id) WHERE flag_count > 0 AND state = 'approved';

CREATE FUNCTION ensure_comment_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    month_start timestamp;
    partition   text;
    made        integer := 0;
BEGIN
    -- every instance runs this; the lock makes concurrent runs take turns instead of colliding
    PERFORM pg_advisory_xact_lock(hashtext('${flyway:defaultSchema}.comment_partitions'));
    FOR i IN 0..months_ahead LOOP
        month_start := date_trunc('month', (now() AT TIME ZONE 'UTC') + make_interval(months => i));
        partition := 'comment_p' || to_char(month_start, 'YYYYMM');
        IF to_regclass(format('%I.%I', '${flyway:defaultSchema}', partition)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.comment FOR VALUES FROM (%s) TO (%s)',
                '${flyway:defaultSchema}', partition, '${flyway:defaultSchema}',
                ${flyway:defaultSchema}.lowest_id_at(month_start),
                ${flyway:defaultSchema}.lowest_id_at(month_start + interval '1 month'));
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END
$$;

-- The smallest ID any shard makes at a UTC time (mirrors org.parley.data.Ids.lowestAt).
CREATE FUNCTION lowest_id_at(utc timestamp) RETURNS bigint
LANGUAGE sql IMMUTABLE
AS $$
    SELECT ((extract(epoch FROM utc) * 1000)::bigint - 1704067200000) << 23
$$;

CREATE TABLE comment_p000000 PARTITION OF comment
    FOR VALUES FROM (MINVALUE) TO (lowest_id_at(date_trunc('month', now() AT TIME ZONE 'UTC')));
SELECT ensure_comment_partitions(3);

-- One vote per account per comment, changeable; the comment's score/upvotes/downvotes follow it.
CREATE TABLE vote (
    comment_id bigint      NOT NULL,
    account_id bigint      NOT NULL,
    value      smallint    NOT NULL CHECK (value IN (-1, 1)),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, account_id)
);

-- One flag per account per comment: the moderators' audit trail of why a comment was reported.
CREATE TABLE flag (
    comment_id bigint      NOT NULL,
    account_id bigint      NOT NULL,
    reason     text        NOT NULL CHECK (reason IN ('spam', 'abuse', 'off_topic', 'other')),
    note       text        CHECK (length(note) <= 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, account_id)
);
