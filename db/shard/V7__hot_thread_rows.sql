-- Every comment, edit, vote and moderation action updates its thread row (comment count, version, last
-- activity), so thread rows are the most updated rows of a shard. None of those columns is indexed, so with free
-- room on the page PostgreSQL updates them in place (HOT: no new index entries); fillfactor 70 keeps that room.
-- Autovacuum visits the table after 1 % of it changed instead of 20 %, so dead versions of hot threads are
-- cleared while the table is small. (See db/postgresql.conf.sample for the server-wide settings.)
ALTER TABLE thread SET (
    fillfactor = 70,
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_analyze_scale_factor = 0.02
);
