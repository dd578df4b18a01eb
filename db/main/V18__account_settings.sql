-- Account settings and life cycle:
-- session_generation: every session cookie carries the generation it was signed in under; "sign out everywhere"
--   (and a password reset) adds one, so every older cookie stops signing anyone in, on every instance at once.
-- replies_by_default: whether "email me replies" starts checked on this member's comment form.
-- deleted_at: the person deleted the account. The row stays (the audit log names it) but holds nothing of them:
--   no email, no password, the name replaced.
ALTER TABLE account ADD COLUMN session_generation integer NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN replies_by_default boolean NOT NULL DEFAULT true;
ALTER TABLE account ADD COLUMN deleted_at timestamptz;
ALTER TABLE account DROP CONSTRAINT account_email_or_sso;
ALTER TABLE account ADD CONSTRAINT account_email_or_sso CHECK (email IS NOT NULL OR sso_site_id IS NOT NULL OR deleted_at IS NOT NULL);
