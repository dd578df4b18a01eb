-- The language each reader reads Parley in, so mails reach them in it: taken from their own browser
-- (Accept-Language) when they sign up, confirm their address or save their account settings (members), or
-- confirm a guest address for replies (subscriber). Null: the site's language, English for now.
ALTER TABLE account ADD COLUMN language text CONSTRAINT account_language_check CHECK (length(language) <= 35);
ALTER TABLE subscriber ADD COLUMN language text CONSTRAINT subscriber_language_check CHECK (length(language) <= 35);
