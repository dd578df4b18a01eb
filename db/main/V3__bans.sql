-- Per-site bans. One table for the three kinds, so the posting check is one statement:
--   account: value = the account id (as text)
--   email:   value = the lower-cased email (guests give one; accounts have one)
--   ip:      value = a CIDR range in PostgreSQL's canonical cidr text (a single address is /32 or /128)
-- A shadow ban does not refuse the post: the comment is stored with shadow = true and only its author sees it.
CREATE TABLE ban (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id    bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (kind IN ('account', 'email', 'ip')),
    value      text        NOT NULL CHECK (length(value) BETWEEN 1 AND 254),
    reason     text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    expires_at timestamptz,
    shadow     boolean     NOT NULL DEFAULT false,
    created_by bigint      NOT NULL REFERENCES account (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- the cast only runs for ip rows (CASE evaluates in order), so a malformed range can never be stored
    CHECK (CASE WHEN kind = 'ip' THEN value::cidr IS NOT NULL ELSE true END)
);
CREATE INDEX ban_site ON ban (site_id, kind, value);
