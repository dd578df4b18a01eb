-- A site's default language: what its threads, embed and forms are written in for a reader whose browser asks for
-- no language Parley has (NULL: English). The embed's data-lang still forces one; see docs/languages.md.
ALTER TABLE site ADD COLUMN language text CHECK (language ~ '^[a-z]{2,3}$');
