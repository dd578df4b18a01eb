-- next_id() keeps to sequences 0-511 of each millisecond; 512-1023 are minted outside the shard, by the comment
-- spool while this shard's primary cannot be reached (docs/spool.md). The two halves can never collide, whatever
-- the clocks of the instances and of this server say. 512 IDs per millisecond per shard is still 512,000 a second.
CREATE OR REPLACE FUNCTION next_id() RETURNS bigint
LANGUAGE sql VOLATILE PARALLEL UNSAFE
AS $$
    SELECT ((floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint - 1704067200000) << 23)
         | (${shard_id}::bigint << 10)
         | (nextval('${flyway:defaultSchema}.id_seq') % 512)
$$;
