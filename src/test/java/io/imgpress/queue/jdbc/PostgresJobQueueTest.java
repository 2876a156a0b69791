package io.imgpress.queue.jdbc;

import io.imgpress.db.Dialect;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueueContract;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;

/** The queue contract on PostgreSQL, where claims skip locked rows. */
class PostgresJobQueueTest extends JobQueueContract {

  MutableClock clock = new MutableClock();
  JdbcJobQueue queue;

  @BeforeEach
  void create() {
    queue = JdbcQueues.queue(TestDatabase.postgres(), clock, Dialect.POSTGRESQL);
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
}
