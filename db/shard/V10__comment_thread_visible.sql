-- A thread's visible comments newest first, whatever their depth: a thread's feed (and later the live updates'
-- "what is new since") reads its latest comments without sorting the whole thread.
CREATE INDEX comment_thread_visible ON comment (thread_id, id) WHERE state = 'approved' AND NOT shadow;
