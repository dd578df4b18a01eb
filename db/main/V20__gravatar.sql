-- Gravatar pictures for a site's comments, chosen by its owner. Off by default: the local identicon shows no
-- reader to a third party. Applies to comments written while it is on (they carry the address's SHA-256, which
-- Gravatar accepts; comments written before carry only the identicon's shorter key).
ALTER TABLE site ADD COLUMN gravatar boolean NOT NULL DEFAULT false;
