package io.imgpress.queue.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.queue.JobQueue.Reschedule;
import io.imgpress.support.CommitCounter;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch of jobs costs one commit, whatever its size: the point of claiming in batches. */
class JdbcJobQueueCommitsTest {

  final MutableClock clock = new MutableClock();
  final CommitCounter counter = new CommitCounter(TestDatabase.h2());
  final JdbcJobQueue queue = JdbcQueues.queue(counter.dataSource(), clock);

  @Test
  void claimingAndReleasingSixtyFourJobsCommitsOnceEach() {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      jobs.add(new Job(JobKind.IMAGE, Integer.toString(i), clock.instant()));
    }
    queue.enqueue(jobs);

    counter.reset();
    List<ClaimedJob> claimed = queue.claim(EnumSet.allOf(JobKind.class), 64, Duration.ofMinutes(5));
    assertThat(claimed).hasSize(64);
    assertThat(counter.commits()).as("claim").isEqualTo(1);

    counter.reset();
    assertThat(queue.renewAll(claimed, Duration.ofMinutes(5))).containsOnly(true);
    assertThat(counter.commits()).as("renewAll").isEqualTo(1);

    counter.reset();
    assertThat(
            queue.rescheduleAll(
                claimed.subList(0, 32).stream()
                    .map(job -> new Reschedule(job, clock.instant()))
                    .toList()))
        .containsOnly(true);
    assertThat(counter.commits()).as("rescheduleAll").isEqualTo(1);

    counter.reset();
    assertThat(queue.completeAll(claimed.subList(32, 64))).containsOnly(true);
    assertThat(counter.commits()).as("completeAll").isEqualTo(1);
  }
}
