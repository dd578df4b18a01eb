-- Imports of Disqus exports (parley import-disqus): what each run did, what it skipped or changed and why, and the posts
-- of the run being applied. Posts are staged here first so a file of millions of posts is read in bounded memory
-- and each thread can then be applied in one transaction; a run's staged posts are removed when it ends.
CREATE TABLE disqus_import (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id        bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    file_name      text        NOT NULL,
    started_by     text        NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    threads        integer     NOT NULL DEFAULT 0,
    comments_added integer     NOT NULL DEFAULT 0,
    comments_updated integer   NOT NULL DEFAULT 0,
    unchanged      integer     NOT NULL DEFAULT 0,
    tombstones     integer     NOT NULL DEFAULT 0,
    spam           integer     NOT NULL DEFAULT 0,
    closed_threads integer     NOT NULL DEFAULT 0,
    skipped        integer     NOT NULL DEFAULT 0
);

-- what a run could not use (skipped) or used with a change (kept: an orphan reply kept as a top-level comment)
CREATE TABLE disqus_import_note (
    import_id bigint  NOT NULL REFERENCES disqus_import (id) ON DELETE CASCADE,
    line      integer NOT NULL,
    element   text    NOT NULL,
    reason    text    NOT NULL,
    kept      boolean NOT NULL
);
CREATE INDEX disqus_import_note_by_import ON disqus_import_note (import_id, line);

CREATE TABLE disqus_import_post (
    import_id        bigint      NOT NULL REFERENCES disqus_import (id) ON DELETE CASCADE,
    disqus_id        bigint      NOT NULL,
    thread_disqus_id bigint      NOT NULL,
    parent_disqus_id bigint,
    created_at       timestamptz NOT NULL,
    message          text        NOT NULL,
    author_name      text,
    author_email     text,
    author_username  text,
    ip               text,
    deleted          boolean     NOT NULL,
    spam             boolean     NOT NULL,
    line             integer     NOT NULL,
    CONSTRAINT disqus_import_post_pkey PRIMARY KEY (import_id, disqus_id)
);
CREATE INDEX disqus_import_post_by_thread ON disqus_import_post (import_id, thread_disqus_id);
