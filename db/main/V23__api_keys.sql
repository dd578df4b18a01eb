-- A site's API keys (docs/api.md): each has scopes (read: every comment of the site whatever its state and the
-- moderation queue; write: post as the site; moderate: act on comments). The key is shown once when created;
-- only its SHA-256 is kept (a key is 256 random bits, so a fast hash is enough: there is nothing to guess), with
-- its first characters so people can tell keys apart. Revoked keys stay, for the audit log that names them.
CREATE TABLE api_key (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id      bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    name         text        NOT NULL CONSTRAINT api_key_name_check CHECK (length(name) BETWEEN 1 AND 100),
    prefix       text        NOT NULL,
    hash         bytea       NOT NULL CONSTRAINT api_key_hash_key UNIQUE,
    scopes       text[]      NOT NULL CONSTRAINT api_key_scopes_check
                             CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write', 'moderate']),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   bigint      REFERENCES account (id) ON DELETE SET NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_key_site ON api_key (site_id, id);

-- What an API key does is audited like a moderator's action: the row names the key instead of an account.
ALTER TABLE audit_log ALTER COLUMN actor_id DROP NOT NULL;
ALTER TABLE audit_log ADD COLUMN api_key_id bigint REFERENCES api_key (id);
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_check CHECK (actor_id IS NOT NULL OR api_key_id IS NOT NULL);
