package org.parley.discussion;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batching itself, with a runner that stands in for the transaction (the database side is GroupCommitIT):
 * every caller gets its own outcome, callers that meet are batched, a batch never mixes shards nor grows past its
 * bound, and only one batch of a stripe runs at a time.
 */
class GroupCommitTest {

    @Test
    void callersThatMeetAreBatchedAndEachGetsItsOwnResult() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlapping = new AtomicInteger();
        var group = new GroupCommit((shard, batch) -> {
            if (running.incrementAndGet() > 1) {
                overlapping.incrementAndGet();
            }
            sizes.add(batch.size());
            assertThat(batch).allMatch(job -> job.shard == shard);
            sleep(3); // a commit's wait for the disk, during which more callers queue
            batch.forEach(job -> job.complete(job.change.apply(null)));
            running.decrementAndGet();
        });
        int callers = 200;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int n = i;
                results.add(pool.submit(() -> group.submit(n % 2, 42, write -> n)));
            }
            for (int i = 0; i < callers; i++) {
                assertThat(results.get(i).get()).isEqualTo(i);
            }
        }
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(callers);
        assertThat(sizes).as("batches").anyMatch(size -> size > 1).allMatch(size -> size <= GroupCommit.MAX_BATCH);
        assertThat(overlapping).as("batches of one stripe running at once").hasValue(0);
    }

    @Test
    void aFailedBatchFailsEachOfItsCallersAndTheNextCallerStillRuns() {
        var group = new GroupCommit((shard, batch) -> {
            if (batch.get(0).threadId == 1) {
                throw new IllegalStateException("the shard's primary went away");
            }
            batch.forEach(job -> job.complete("written"));
        });
        assertThatThrownBy(() -> group.submit(0, 1, write -> "never"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("went away");
        String written = group.submit(0, 1 + GroupCommit.STRIPES, write -> "");
        assertThat(written).isEqualTo("written");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
