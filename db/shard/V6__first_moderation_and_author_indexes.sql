-- When a moderator first acted on a comment, and the state it was in just before: the console's statistics read
-- time to first moderation from these, and how long comments held for review waited (so the pending queue's size
-- and age on past days can be drawn without a history table). Set once, by ModerationService; NULL for comments
-- no moderator has touched and for those moderated before this migration.
ALTER TABLE comment ADD COLUMN first_moderated_at timestamptz;
ALTER TABLE comment ADD COLUMN first_moderated_from text
    CHECK (first_moderated_from IN ('approved', 'pending', 'spam', 'deleted'));
-- Statistics: the comments of a site first moderated in a time range.
CREATE INDEX comment_site_first_moderated ON comment (site_id, first_moderated_at) WHERE first_moderated_at IS NOT NULL;
-- Author history: one account's or one guest email's comments on a site, newest first (keyset on id).
CREATE INDEX comment_site_author ON comment (site_id, author_account_id, id) WHERE author_account_id IS NOT NULL;
CREATE INDEX comment_site_guest_email ON comment (site_id, lower(author_email), id) WHERE author_email IS NOT NULL;
