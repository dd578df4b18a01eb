-- Moderation: who may moderate which site, and the record of everything they did.

-- Per-site moderators. Administrators (account.is_admin) moderate every site without a row here.
CREATE TABLE site_moderator (
    site_id    bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    account_id bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, account_id)
);
CREATE INDEX site_moderator_account ON site_moderator (account_id);

-- Every moderation action: who, what, when, before → after. Append-only: the trigger below refuses any
-- UPDATE or DELETE, so not even a bug (or a moderator with SQL access through Parley) can rewrite history.
CREATE TABLE audit_log (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   bigint      NOT NULL REFERENCES account (id),
    site_id    bigint      REFERENCES site (id),
    action     text        NOT NULL,
    target     text        NOT NULL,
    before     text,
    after      text,
    note       text
);
CREATE INDEX audit_log_site ON audit_log (site_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP;
END
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
