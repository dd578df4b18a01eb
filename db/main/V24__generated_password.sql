-- The administrator made on first start gets a generated password, printed once. Until someone sets their own,
-- the console's front page keeps "change the administrator's password" on its first-run checklist.
ALTER TABLE account ADD COLUMN password_generated boolean NOT NULL DEFAULT false;
