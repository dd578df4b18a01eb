-- A moderator who decides a reported comment stays dismisses its reports: they are kept (the record of who
-- reported what), marked with when, and no longer count in comment.flag_count, so the comment leaves the flagged
-- queue. An undo reopens them.
ALTER TABLE flag ADD COLUMN dismissed_at timestamptz;
