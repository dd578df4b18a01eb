-- Shadow-banned comments: stored as approved, shown only to their author (see docs/moderation.md), and not
-- counted in thread.comment_count. Set once, at write time, from the site's bans.
ALTER TABLE comment ADD COLUMN shadow boolean NOT NULL DEFAULT false;
