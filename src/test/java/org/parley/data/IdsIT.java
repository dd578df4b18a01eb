package org.parley.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.db.shard.Routines;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.db.shard.Tables.THREAD;

class IdsIT {
    private static final int SHARDS = 8;
    private static Databases databases;

    @BeforeAll
    static void migrate() {
        databases = MigrationsIT.open(TestConfig.load(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), SHARDS)));
        Migrations.migrate(databases, shard -> { });
    }

    @AfterAll
    static void close() {
        databases.close();
    }

    @Test
    void idsMadeConcurrentlyOnSeveralShardsAreUniqueAndNameTheirShardAndTime() throws Exception {
        int[] shards = {0, 3, 5, 7};
        int threadsPerShard = 4;
        int idsPerThread = 250;
        Instant before = Instant.now().minusMillis(5);

        List<Future<List<Long>>> batches = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(shards.length * threadsPerShard)) {
            for (int shard : shards) {
                for (int t = 0; t < threadsPerShard; t++) {
                    batches.add(pool.submit(() -> nextIds(shard, idsPerThread)));
                }
            }
        }
        Instant after = Instant.now().plusMillis(5);

        Set<Long> all = new HashSet<>();
        int batch = 0;
        for (int shard : shards) {
            for (int t = 0; t < threadsPerShard; t++, batch++) {
                List<Long> ids = batches.get(batch).get();
                Instant previous = Instant.MIN;
                for (long id : ids) {
                    assertThat(Ids.shardOf(id)).isEqualTo(shard);
                    assertThat(Ids.createdAt(id)).isBetween(before, after).isAfterOrEqualTo(previous);
                    previous = Ids.createdAt(id);
                }
                all.addAll(ids);
            }
        }
        assertThat(all).hasSize(shards.length * threadsPerShard * idsPerThread);
    }

    @Test
    void anIdMadeLaterIsLargerWhateverTheShard() throws Exception {
        long first = nextIds(7, 1).getFirst();
        Thread.sleep(2);
        long second = nextIds(0, 1).getFirst();
        Thread.sleep(2);
        long third = nextIds(3, 1).getFirst();

        assertThat(first).isPositive().isLessThan(second);
        assertThat(second).isLessThan(third);
    }

    @Test
    void rowsTakeTheirIdFromTheirShard() {
        long id = databases.write(5)
                .insertInto(THREAD, THREAD.SITE_ID, THREAD.KEY, THREAD.TITLE)
                .values(1L, "ids-it", "A thread")
                .returning(THREAD.ID)
                .fetchOne(THREAD.ID);

        assertThat(Ids.shardOf(id)).isEqualTo(5);
        assertThat(databases.write(5).fetchExists(THREAD, THREAD.ID.eq(id))).isTrue();
        assertThat(databases.write(4).fetchExists(THREAD, THREAD.ID.eq(id))).as("other shards do not see it").isFalse();
    }

    private static List<Long> nextIds(int shard, int count) {
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(databases.write(shard).select(Routines.nextId()).fetchOne(0, Long.class));
        }
        return ids;
    }
}
