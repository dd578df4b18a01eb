-- Guests can report a comment too. Still one report per reporter and comment: a member by account
-- ('account:42'), a guest by the address they reported from ('ip:192.0.2.1', as comments keep their author's
-- address for moderators); account_id stays for members' reports and is null for a guest's.
ALTER TABLE flag ADD COLUMN reporter text;
UPDATE flag SET reporter = 'account:' || account_id;
ALTER TABLE flag ALTER COLUMN reporter SET NOT NULL;
ALTER TABLE flag DROP CONSTRAINT flag_pkey;
ALTER TABLE flag ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE flag ADD CONSTRAINT flag_pkey PRIMARY KEY (comment_id, reporter);
