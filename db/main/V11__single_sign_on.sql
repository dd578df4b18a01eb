-- Single sign-on with a host site's users (docs/disqus.md). A site's SSO settings live beside the site, in their
-- own table: one reason to change, and the secret is read only where payloads are checked.
CREATE TABLE site_sso (
    site_id           bigint  PRIMARY KEY REFERENCES site (id) ON DELETE CASCADE,
    -- HMAC key for remote_auth_s3 (SHA-1) and HS256 JWTs: 32 characters at least, as HS256 requires 256 bits
    secret            text    CHECK (length(secret) BETWEEN 32 AND 200),
    login_url         text    CHECK (length(login_url) <= 2000),
    logout_url        text    CHECK (length(logout_url) <= 2000),
    -- how old a payload may be
    max_age_seconds   integer NOT NULL DEFAULT 7200 CHECK (max_age_seconds BETWEEN 60 AND 604800)
);

-- An SSO account belongs to one site: the host's user id is unique only there, and an email the host vouches for
-- must never reach a Parley account elsewhere. So SSO accounts are their own rows, and the unique email is now
-- the rule for Parley's own accounts only.
ALTER TABLE account ALTER COLUMN email DROP NOT NULL;
ALTER TABLE account ADD COLUMN sso_site_id bigint REFERENCES site (id) ON DELETE CASCADE;
ALTER TABLE account ADD COLUMN sso_id text CHECK (length(sso_id) BETWEEN 1 AND 200);
ALTER TABLE account ADD COLUMN avatar_url text CHECK (length(avatar_url) <= 2000);
ALTER TABLE account ADD COLUMN profile_url text CHECK (length(profile_url) <= 2000);
ALTER TABLE account ADD CONSTRAINT account_sso_pair CHECK ((sso_site_id IS NULL) = (sso_id IS NULL));
ALTER TABLE account ADD CONSTRAINT account_email_or_sso CHECK (email IS NOT NULL OR sso_site_id IS NOT NULL);
DROP INDEX account_email_key;
CREATE UNIQUE INDEX account_email_key ON account (lower(email)) WHERE sso_site_id IS NULL;
CREATE UNIQUE INDEX account_sso_key ON account (sso_site_id, sso_id) WHERE sso_site_id IS NOT NULL;
