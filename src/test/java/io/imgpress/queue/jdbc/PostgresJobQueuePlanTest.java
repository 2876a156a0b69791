package io.imgpress.queue.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.db.Dialect;
import io.imgpress.db.Timestamps;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim's queries as PostgreSQL plans them with a queue of tens of thousands of jobs: each
 * reads an index range and locks only the rows it returns, skipping those others hold.
 */
class PostgresJobQueuePlanTest {

  MutableClock clock = new MutableClock();
  DataSource ds;

  @BeforeEach
  void fill() {
    ds = TestDatabase.postgres();
    JdbcJobQueue queue = JdbcQueues.queue(ds, clock, Dialect.POSTGRESQL);
    List<JobQueue.Job> jobs = new ArrayList<>();
    for (int request = 0; request < 20; request++) {
      for (int position = 0; position < 1000; position++) {
        jobs.add(
            new JobQueue.Job(JobKind.IMAGE, request + "/" + position, clock.instant(), position));
      }
      jobs.add(new JobQueue.Job(JobKind.WEBHOOK, "w" + request, clock.instant().plusSeconds(60)));
    }
    queue.enqueue(jobs);
    queue.claim(EnumSet.of(JobKind.IMAGE), 500, Duration.ofMinutes(10));
    TestDatabase.template(ds).execute("analyze jobs");
  }

  @Test
  void candidatesAreReadInTheOrderOfTheReadyIndexAndLockedSkippingHeldRows() {
    String plan = plan(JdbcJobQueue.CANDIDATES_SKIP_LOCKED, JobKind.IMAGE.priority(), 5);

    assertThat(plan).contains("LockRows").contains("jobs_ready").doesNotContain("Sort");
    assertThat(plan).doesNotContain("Seq Scan");
  }

  @Test
  void dueJobsAreFoundThroughTheWaitingIndex() {
    String plan =
        plan(
            JdbcJobQueue.PROMOTE_DUE_SKIP_LOCKED,
            Timestamps.of(clock.instant()),
            Timestamps.of(clock.instant()));

    assertThat(plan).contains("jobs_waiting").contains("LockRows").doesNotContain("Seq Scan");
  }

  private String plan(String sql, Object... params) {
    try (Connection connection = ds.getConnection();
        PreparedStatement explain = connection.prepareStatement("explain " + sql)) {
      for (int i = 0; i < params.length; i++) {
        explain.setObject(i + 1, params[i]);
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = explain.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      System.out.println("EXPLAIN " + sql.replaceAll("\\s+", " ") + "\n" + plan);
      return plan.toString();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
