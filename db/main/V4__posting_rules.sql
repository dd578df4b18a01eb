-- Posting rules per site: trusted authors, word rules, first-comment-is-pending, a link limit.

-- Accounts whose comments skip pre-moderation and first-comment-is-pending on a site.
CREATE TABLE trusted_author (
    site_id    bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    account_id bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_by bigint      NOT NULL REFERENCES account (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, account_id)
);

-- Accounts with a comment a moderator approved on the site: no longer "first comment" there.
CREATE TABLE known_author (
    site_id    bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    account_id bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, account_id)
);

-- Java regular expressions (case-insensitive) checked against each new comment's source.
CREATE TABLE word_rule (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id    bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    pattern    text        NOT NULL CHECK (length(pattern) BETWEEN 1 AND 500),
    action     text        NOT NULL CHECK (action IN ('reject', 'pending')),
    created_by bigint      NOT NULL REFERENCES account (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX word_rule_site ON word_rule (site_id, id);

ALTER TABLE site ADD COLUMN first_comment_pending boolean NOT NULL DEFAULT false;
-- NULL: no limit. Comments with more links go to the pending queue.
ALTER TABLE site ADD COLUMN max_links integer CHECK (max_links BETWEEN 0 AND 1000);
