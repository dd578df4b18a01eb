package org.parley.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ShardRouterTest {
    private static final int KEYS = 10_000;

    @Test
    void aThreadAlwaysLandsOnTheSameShard() {
        int first = new ShardRouter(64).shardOf(42, "/2026/11/a-story.html");

        for (int i = 0; i < 100; i++) {
            assertThat(new ShardRouter(64).shardOf(42, "/2026/11/a-story.html")).isEqualTo(first);
        }
    }

    /**
     * Rows stay where this hash put them, so it may never change. Expected values computed outside Java from
     * the documented rule: SHA-256 of "siteId:key", first 8 bytes big-endian unsigned, mod N.
     */
    @Test
    void theHashIsTheDocumentedOne() {
        assertThat(new ShardRouter(64).shardOf(1, "article-1")).isEqualTo(18);
        assertThat(new ShardRouter(8192).shardOf(1, "article-1")).isEqualTo(5650);
        assertThat(new ShardRouter(64).shardOf(42, "/2026/11/a-story.html")).isEqualTo(32);
        assertThat(new ShardRouter(8192).shardOf(42, "/2026/11/a-story.html")).isEqualTo(4960);
    }

    @Test
    void theSameKeyOnAnotherSiteIsAnotherThread() {
        var router = new ShardRouter(8192);
        assertThat(router.shardOf(1, "home")).isNotEqualTo(router.shardOf(2, "home"));
    }

    /** Within ±20 % of an even spread, for shard counts where 10 000 keys make that a fair demand. */
    @ParameterizedTest
    @ValueSource(ints = {8, 16})
    void tenThousandKeysSpreadEvenly(int shards) {
        int[] counts = spread(shards);
        double even = (double) KEYS / shards;
        for (int shard = 0; shard < shards; shard++) {
            assertThat(counts[shard]).as("keys on shard %d", shard).isBetween((int) (even * 0.8), (int) (even * 1.2));
        }
    }

    /**
     * At 64 shards, 156 keys a shard: a perfectly random hash strays past ±20 % in about half of all key sets,
     * so the honest check is a chi-square test of uniformity (63 degrees of freedom, p = 0.001 → 103.4).
     */
    @Test
    void tenThousandKeysOn64ShardsPassAChiSquareTestOfUniformity() {
        int[] counts = spread(64);
        double even = (double) KEYS / 64;
        double chiSquare = 0;
        for (int count : counts) {
            chiSquare += (count - even) * (count - even) / even;
        }
        assertThat(chiSquare).isLessThan(103.4);
    }

    private static int[] spread(int shards) {
        var router = new ShardRouter(shards);
        int[] counts = new int[shards];
        for (int i = 0; i < KEYS; i++) {
            counts[router.shardOf(1 + i % 7, "https://example.com/posts/" + i)]++;
        }
        return counts;
    }
}
