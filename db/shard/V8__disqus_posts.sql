-- Which comment each imported Disqus post became, per site: a rerun of the same export adds nothing, and a later
-- export updates what changed. Kept on the thread's shard, so it commits with the thread's comments.
CREATE TABLE disqus_post (
    site_id    bigint NOT NULL,
    disqus_id  bigint NOT NULL,
    comment_id bigint NOT NULL,
    CONSTRAINT disqus_post_pkey PRIMARY KEY (site_id, disqus_id)
);
