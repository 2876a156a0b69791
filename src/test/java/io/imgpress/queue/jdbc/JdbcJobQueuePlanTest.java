package io.imgpress.queue.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim's queries as H2 plans them with a queue of tens of thousands of jobs (ready, leased and
 * waiting, of every kind): each is answered from an index, never by scanning or sorting the table,
 * so a claim costs the same however many jobs wait. {@code ./bench/queue.sh} measures it.
 */
class JdbcJobQueuePlanTest {

  MutableClock clock = new MutableClock();
  DataSource ds;

  @BeforeEach
  void fill() {
    ds = TestDatabase.h2();
    JdbcJobQueue queue = JdbcQueues.queue(ds, clock);
    List<JobQueue.Job> jobs = new ArrayList<>();
    for (int request = 0; request < 20; request++) {
      for (int position = 0; position < 1000; position++) {
        jobs.add(
            new JobQueue.Job(JobKind.IMAGE, request + "/" + position, clock.instant(), position));
      }
      jobs.add(new JobQueue.Job(JobKind.WEBHOOK, "w" + request, clock.instant().plusSeconds(60)));
    }
    queue.enqueue(jobs);
    queue.claim(java.util.EnumSet.of(JobKind.IMAGE), 500, Duration.ofMinutes(10));
    TestDatabase.template(ds).execute("analyze");
  }

  @Test
  void candidatesAreReadInTheOrderOfTheReadyIndex() {
    String plan = plan(JdbcJobQueue.CANDIDATES, JobKind.IMAGE.priority(), 5);

    assertThat(plan)
        .contains("PUBLIC.JOBS_READY: READY = 1")
        .contains("PRIORITY = ?1")
        .contains("/* index sorted */")
        .doesNotContainIgnoringCase("tableScan");
  }

  @Test
  void dueJobsAreFoundThroughTheWaitingIndex() {
    String plan = plan(JdbcJobQueue.PROMOTE_DUE, Timestamps.of(clock.instant()));

    assertThat(plan)
        .contains("PUBLIC.JOBS_WAITING: READY = 0")
        .contains("VISIBLE_AT <= ?1")
        .doesNotContainIgnoringCase("tableScan");
  }

  private String plan(String sql, Object... params) {
    try (Connection connection = ds.getConnection();
        PreparedStatement explain = connection.prepareStatement("explain " + sql)) {
      for (int i = 0; i < params.length; i++) {
        explain.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = explain.executeQuery()) {
        rs.next();
        String plan = rs.getString(1);
        System.out.println("EXPLAIN " + sql.replaceAll("\\s+", " ") + "\n" + plan);
        return plan;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
