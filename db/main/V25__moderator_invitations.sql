-- An owner appoints someone by email who has no account yet: the appointment waits here, and the invited person
-- is mailed. It takes effect when an account with that address proves it owns it (the sign-up confirmation link),
-- so only the mailbox's owner can claim it. One waiting appointment per site and address; withdrawn by deleting.
CREATE TABLE moderator_invitation (
    site_id    bigint      NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    email      text        NOT NULL CONSTRAINT moderator_invitation_email_lower CHECK (email = lower(email)),
    role       text        NOT NULL CONSTRAINT moderator_invitation_role CHECK (role IN ('owner', 'moderator')),
    invited_by bigint      REFERENCES account (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT moderator_invitation_pkey PRIMARY KEY (site_id, email)
);
CREATE INDEX moderator_invitation_by_email ON moderator_invitation (email);
