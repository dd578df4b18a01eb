package org.parley.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShardReadExceptionTest {
    @Test
    void namesTheClusterTheRoleAndTheShardsAsCompactRanges() {
        var e = new ShardReadException("db2", AllShards.Source.REPLICA, List.of(0, 1, 2, 3, 8, 10, 11),
                new IllegalStateException("no route to host"));
        assertThat(e).hasMessage("Reading logical shards s0000-s0003, s0008, s0010-s0011 on cluster db2 (replica) failed:"
                + " no route to host");
        assertThat(e.shards()).containsExactly(0, 1, 2, 3, 8, 10, 11);
    }

    @Test
    void oneShardIsNamedAlone() {
        assertThat(ShardReadException.ranges(List.of(7))).isEqualTo("s0007");
    }
}
