-- Why a rule (not the site's pre-moderation) sent a comment to the pending queue, shown to moderators.
ALTER TABLE comment ADD COLUMN hold_reason text CHECK (length(hold_reason) <= 200);
