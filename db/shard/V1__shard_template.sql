-- The shard template: applied to every logical shard schema s0000 … s{N-1}, with
-- ${flyway:defaultSchema} = that schema and ${shard_id} = its number.
-- Unqualified names resolve in the shard schema (Flyway sets the search_path);
-- anything evaluated later (defaults, function bodies) names the schema explicitly,
-- because at run time the search_path is not the shard's.

-- Instagram-style IDs: 41 bits of milliseconds since 2024-01-01 UTC (positive until 2058-11), 13 bits of logical
-- shard, 10 bits of a per-shard sequence. Generated here so instances never coordinate.
-- Unique while one shard makes at most 1024 IDs in one millisecond; the primary keys
-- would refuse a duplicate rather than store it.
CREATE SEQUENCE id_seq;

CREATE FUNCTION next_id() RETURNS bigint
LANGUAGE sql VOLATILE PARALLEL UNSAFE
AS $$
    SELECT ((floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint - 1704067200000) << 23)
         | (${shard_id}::bigint << 10)
         | (nextval('${flyway:defaultSchema}.id_seq') % 1024)
$$;

-- A discussion: one per page of a site, found by the host page's key (Disqus-style).
-- It lives in shard hash(site_id, key) mod N, with all its comments, votes and flags.
CREATE TABLE thread (
    id               bigint      PRIMARY KEY DEFAULT ${flyway:defaultSchema}.next_id(),
    site_id          bigint      NOT NULL,
    key              text        NOT NULL CHECK (length(key) BETWEEN 1 AND 500),
    url              text        CHECK (length(url) <= 2000),
    title            text        NOT NULL DEFAULT '' CHECK (length(title) <= 500),
    comment_count    integer     NOT NULL DEFAULT 0,
    last_activity_at timestamptz,
    closed           boolean     NOT NULL DEFAULT false,
    -- bumped on every write that changes the thread's page: cache keys and ETags derive from it
    version          bigint      NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (site_id, key)
);
