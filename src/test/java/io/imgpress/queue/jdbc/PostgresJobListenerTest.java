package io.imgpress.queue.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.db.Dialect;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.queue.WorkSignal;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** An enqueue in one process wakes the idle workers of another, through LISTEN/NOTIFY. */
class PostgresJobListenerTest {

  final String url = TestDatabase.emptyPostgres();
  final DataSource ds = TestDatabase.pool(url, 4);
  final MutableClock clock = new MutableClock();
  final WorkSignal signal = new WorkSignal();
  final WorkSignal.Waiter idleWorker = signal.waiter(1);
  final AtomicInteger connects = new AtomicInteger();
  PostgresJobListener listener;

  PostgresJobListenerTest() {
    TestDatabase.flyway(ds, "postgresql").load().migrate();
  }

  private Connection connect() throws SQLException {
    connects.incrementAndGet();
    return DriverManager.getConnection(url, TestDatabase.user(), null);
  }

  @AfterEach
  void stop() {
    if (listener != null) {
      listener.stop();
    }
  }

  private void listen() throws InterruptedException {
    listener = new PostgresJobListener(this::connect, signal, Duration.ofMillis(100));
    listener.start();
    awaitListening();
  }

  private void awaitListening() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!listener.listening() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(listener.listening()).isTrue();
  }

  @Test
  void anEnqueueOnAnotherConnectionWakesAnIdleWorker() throws Exception {
    listen();
    JdbcJobQueue otherProcess =
        JdbcQueues.queue(TestDatabase.pool(url, 2), clock, Dialect.POSTGRESQL);

    otherProcess.enqueue(List.of(new Job(JobKind.IMAGE, "1", clock.instant())));

    assertThat(idleWorker.await(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void theNotificationWaitsForTheEnqueuesCommit() throws Exception {
    listen();
    JdbcJobQueue queue = JdbcQueues.queue(ds, clock, Dialect.POSTGRESQL);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));

    tx.executeWithoutResult(
        status -> {
          queue.enqueue(List.of(new Job(JobKind.IMAGE, "1", clock.instant())));
          try {
            assertThat(idleWorker.await(Duration.ofMillis(700))).as("before commit").isFalse();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        });

    assertThat(idleWorker.await(Duration.ofSeconds(10))).as("after commit").isTrue();
  }

  @Test
  void jobsForLaterWakeNobody() throws Exception {
    listen();
    JdbcJobQueue queue = JdbcQueues.queue(ds, clock, Dialect.POSTGRESQL);

    queue.enqueue(List.of(new Job(JobKind.WEBHOOK, "1", clock.instant().plusSeconds(60))));

    assertThat(idleWorker.await(Duration.ofMillis(700))).isFalse();
  }

  @Test
  void aLostConnectionIsReplacedAndListensAgain() throws Exception {
    listen();
    try (Connection admin = connect();
        var sql = admin.createStatement()) {
      sql.executeQuery(
              "select pg_terminate_backend(pid) from pg_stat_activity"
                  + " where query like 'listen%' and pid <> pg_backend_pid()")
          .close();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (connects.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    awaitListening();
    JdbcQueues.queue(ds, clock, Dialect.POSTGRESQL)
        .enqueue(List.of(new Job(JobKind.IMAGE, "1", clock.instant())));

    assertThat(idleWorker.await(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void aReconnectWakesTheIdleWorkersForWhatItMayHaveMissed() throws Exception {
    listen();
    assertThat(idleWorker.await(Duration.ofMillis(300))).as("the first connect").isFalse();
    try (Connection admin = connect();
        var sql = admin.createStatement()) {
      sql.executeQuery(
              "select pg_terminate_backend(pid) from pg_stat_activity"
                  + " where query like 'listen%' and pid <> pg_backend_pid()")
          .close();
    }

    assertThat(idleWorker.await(Duration.ofSeconds(10))).as("after the reconnect").isTrue();
  }

  @Test
  void stopsItsThread() throws Exception {
    listen();
    listener.stop();

    assertThat(listener.isRunning()).isFalse();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("imgpress-job-listener") && t.isAlive());
  }
}
