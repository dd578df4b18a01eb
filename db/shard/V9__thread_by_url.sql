-- count.js asks for threads by page address as well as by key (links ending in #disqus_thread name only their
-- page), so each shard finds a site's threads by address without reading them all.
CREATE INDEX thread_site_url ON thread (site_id, url) WHERE url IS NOT NULL;
