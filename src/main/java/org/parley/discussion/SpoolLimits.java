package org.parley.discussion;

/**
 * How much the comment spool may hold: per logical shard (0 turns the spool off) and per instance, so one shard's
 * long outage or one instance's flood cannot fill the main cluster. Past either, a post answers 503 as it did
 * before the spool existed.
 */
public record SpoolLimits(int perShard, int perInstance) {
    public boolean enabled() {
        return perShard > 0;
    }
}
