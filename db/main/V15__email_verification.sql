-- When the person proved the address is theirs (the link mailed at sign-up); null = not yet. Notifications go only
-- to verified addresses, so Parley never mails someone who did not ask for it. Accounts made before this existed
-- are unverified until they follow a new link.
ALTER TABLE account ADD COLUMN email_verified_at timestamptz;
