-- Partitions get statistics as soon as they exist, so PostgreSQL keeps its plans for the statements that read
-- them. A table never analyzed is costed by the planner as if it held ten pages of rows; on a fresh install every
-- comment partition is like that (the months made ahead stay empty, and autovacuum never analyzes an empty table),
-- so a generic plan over them looked dear, and PostgreSQL's plan cache (plan_cache_mode auto) planned the redirect
-- after a post afresh on every post: about 1 ms of its CPU a post under load, half of its work (bench/README,
-- "Partitions analyzed when made"). ANALYZE of an empty table reads nothing and records zero rows.
--
-- Only empty partitions never analyzed are taken: once done, the pass is one catalog query, and it never samples a
-- large partition (autovacuum looks after partitions with rows). On Citus the coordinator's tables are empty shells,
-- never analyzed locally, and Citus plans the statements itself, so the pass is skipped there.
CREATE OR REPLACE FUNCTION ensure_comment_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    month_start timestamp;
    partition   text;
    made        integer := 0;
BEGIN
    -- every instance runs this; the lock makes concurrent runs take turns instead of colliding
    PERFORM pg_advisory_xact_lock(hashtext('${flyway:defaultSchema}.comment_partitions'));
    FOR i IN 0..months_ahead LOOP
        month_start := date_trunc('month', (now() AT TIME ZONE 'UTC') + make_interval(months => i));
        partition := 'comment_p' || to_char(month_start, 'YYYYMM');
        IF to_regclass(format('%I.%I', '${flyway:defaultSchema}', partition)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.comment FOR VALUES FROM (%s) TO (%s)',
                '${flyway:defaultSchema}', partition, '${flyway:defaultSchema}',
                ${flyway:defaultSchema}.lowest_id_at(month_start),
                ${flyway:defaultSchema}.lowest_id_at(month_start + interval '1 month'));
            made := made + 1;
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        -- SKIP_LOCKED: a partition another session holds (a move to the historical tablespace) waits for the next run
        FOR partition IN
            SELECT c.oid::regclass::text
              FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = format('%I.comment', '${flyway:defaultSchema}')::regclass
               AND c.relkind = 'r' AND c.reltuples < 0 AND pg_relation_size(c.oid) = 0
        LOOP
            EXECUTE format('ANALYZE (SKIP_LOCKED) %s', partition);
        END LOOP;
    END IF;
    RETURN made;
END
$$;

SELECT ensure_comment_partitions(3);
