-- Moderation actions on content (docs/moderation.md): every version of an edited comment's text, pinned
-- comments, locked threads.

-- Each version of a comment's text, kept from its first edit on: revision 0 is the text as posted (written at the
-- first edit, dated when the comment was), then one row per edit by its author or a moderator. The comment row
-- keeps carrying the current text; this table is only read by the console's history.
CREATE TABLE comment_revision (
    comment_id  bigint      NOT NULL,
    revision    integer     NOT NULL CHECK (revision >= 0),
    -- raw user text, like comment.body_source — never rendered: body_html is its sanitised rendering
    body_source text        NOT NULL,
    body_html   text        NOT NULL,
    -- who wrote this version (an account of the main schema; NULL: a guest author)
    written_by  bigint,
    -- true when a moderator wrote it (not the comment's author)
    moderator   boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, revision)
);

-- Shown above the other top-level comments of the thread's first page (at most a few per thread).
ALTER TABLE comment ADD COLUMN pinned boolean NOT NULL DEFAULT false;
CREATE INDEX comment_pinned ON comment (thread_id, id) WHERE pinned;

-- A locked thread is closed (no new comments or replies) and frozen: no votes, no edits or deletes by authors.
ALTER TABLE thread ADD COLUMN locked boolean NOT NULL DEFAULT false;
