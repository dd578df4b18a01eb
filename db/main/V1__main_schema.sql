-- The main schema: small, read-mostly, cached. Everything that is not per-thread lives here.
-- Placeholders: ${shard_count} is fixed when the cluster is created (PARLEY_SHARDS).

-- Facts fixed for the life of the cluster. One row.
CREATE TABLE cluster_info (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    shard_count integer     NOT NULL CHECK (shard_count BETWEEN 1 AND 8192),
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO cluster_info (shard_count) VALUES (${shard_count});

CREATE TABLE site (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,49}$'),
    display_name        text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    guests_allowed      boolean     NOT NULL DEFAULT true,
    premoderation       boolean     NOT NULL DEFAULT false,
    edit_window_seconds integer     NOT NULL DEFAULT 900 CHECK (edit_window_seconds >= 0),
    max_comment_length  integer     NOT NULL DEFAULT 10000 CHECK (max_comment_length BETWEEN 1 AND 100000),
    closed              boolean     NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- Origins allowed to embed a site's threads (Content-Security-Policy: frame-ancestors).
CREATE TABLE site_origin (
    site_id bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    origin  text   NOT NULL CHECK (origin ~ '^https?://[^/]+$'),
    PRIMARY KEY (site_id, origin)
);

CREATE TABLE account (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    display_name  text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    password_hash text,
    is_admin      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_email_key ON account (lower(email));

-- Operator-level settings that belong to the data, not to one instance's environment.
CREATE TABLE setting (
    key        text        PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
