-- A site's threads by latest activity (a thread without comments by its creation), newest first: the API's list of
-- a site's threads reads each shard's first page from here instead of sorting all of the site's threads.
CREATE INDEX thread_site_activity ON thread (site_id, (coalesce(last_activity_at, created_at)), id);
