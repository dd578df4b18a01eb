package org.parley.data;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardMapTest {
    @Test
    void singleShardsAndRangesMix() {
        ShardMap map = ShardMap.parse("PARLEY_SHARD_MAP", "0-5:main, 6:db2, 7:main", 8, Set.of("main", "db2"));

        assertThat(map.clusterOf(6)).isEqualTo("db2");
        assertThat(map.shardsOn("main")).containsExactly(0, 1, 2, 3, 4, 5, 7);
        assertThat(map.toString()).isEqualTo("0-5:main,6-6:db2,7-7:main");
    }

    @Test
    void overlappingRangesAreRefused() {
        assertThatThrownBy(() -> ShardMap.parse("PARLEY_SHARD_MAP", "0-5:main,5-7:main", 8, Set.of("main")))
                .hasMessage("PARLEY_SHARD_MAP: logical shard 5 is assigned twice");
    }

    @Test
    void rangesBeyondTheShardCountAreRefused() {
        assertThatThrownBy(() -> ShardMap.parse("PARLEY_SHARD_MAP", "0-8:main", 8, Set.of("main")))
                .hasMessage("PARLEY_SHARD_MAP: range 0-8 is outside the logical shards 0-7");
    }

    @Test
    void garbageSaysWhatTheFormatIs() {
        assertThatThrownBy(() -> ShardMap.parse("PARLEY_SHARD_MAP", "everything on main", 8, Set.of("main")))
                .hasMessage("PARLEY_SHARD_MAP: 'everything on main' should look like FROM-TO:CLUSTER, e.g. 0-31:main");
    }
}
