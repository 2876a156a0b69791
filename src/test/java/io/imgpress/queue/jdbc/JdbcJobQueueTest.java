package io.imgpress.queue.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueueContract;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcJobQueueTest extends JobQueueContract {

  MutableClock clock = new MutableClock();
  JdbcJobQueue queue;

  @BeforeEach
  void create() {
    DataSource ds = TestDatabase.h2();
    queue = JdbcQueues.queue(ds, clock);
  }

  @Override
  protected JobQueue queue() {
    return queue;
  }

  @Override
  protected Instant now() {
    return clock.instant();
  }

  @Override
  protected void advance(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void releasingLeasesAtStartHandsOutHeldJobsAfterAShortWaitThatGrows() {
    queue.enqueue(List.of(new JobQueue.Job(JobKind.IMAGE, "1", clock.instant())));
    queue.claim(Duration.ofMinutes(5)).orElseThrow();
    assertThat(queue.releaseAllLeases()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.claim(Duration.ofMinutes(5))).as("after 1 s, once delivered").isPresent();
    assertThat(queue.releaseAllLeases()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.claim(Duration.ofMinutes(5))).as("twice delivered: 2 s").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.claim(Duration.ofMinutes(5))).isPresent();
  }

  @Test
  void releasedJobsGoBehindJobsAlreadyWaiting() {
    queue.enqueue(List.of(new JobQueue.Job(JobKind.IMAGE, "poison", clock.instant(), 0)));
    queue.claim(Duration.ofMinutes(5)).orElseThrow();
    queue.enqueue(List.of(new JobQueue.Job(JobKind.IMAGE, "small", clock.instant(), 1)));
    queue.releaseAllLeases();
    assertThat(queue.claim(Duration.ofMinutes(5)).orElseThrow().ref()).isEqualTo("small");
  }
}
