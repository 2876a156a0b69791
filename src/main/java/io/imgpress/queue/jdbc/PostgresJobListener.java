package io.imgpress.queue.jdbc;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.queue.WorkSignal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes this process's idle workers when any process enqueues jobs on PostgreSQL: it {@code
 * LISTEN}s on {@link JdbcJobQueue#CHANNEL} on a connection of its own (outside the pool, which it
 * would hold for good) and passes each notification's count of due jobs to {@link WorkSignal}.
 * After a failure it reconnects after a pause; notifications sent meanwhile are lost, which the
 * workers' polling ({@code imgpress.processing.poll-interval}) makes up for.
 */
@Component
@ConditionalOnProperty(name = "imgpress.queue", havingValue = "database", matchIfMissing = true)
@ConditionalOnProperty(name = "imgpress.store", havingValue = "postgres")
@ConditionalOnWorkerRole // only workers wait for jobs
class PostgresJobListener implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PostgresJobListener.class);

  /** How long one wait for notifications lasts: the longest a stop waits for the thread. */
  private static final int WAIT_MILLIS = 500;

  /** How often the listening connection is checked with a query. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(30);

  /** Opens the listener's connection. */
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private final WorkSignal signal;
  private final Duration pause;
  private volatile boolean running;
  private volatile boolean listening;
  private Thread thread;

  /** Whether a connection listened before: only on a reconnect may notifications have been lost. */
  private boolean connected;

  @Autowired
  PostgresJobListener(
      @Value("${spring.datasource.url}") String url,
      @Value("${spring.datasource.username:}") String username,
      @Value("${spring.datasource.password:}") String password,
      WorkSignal signal) {
    this(() -> DriverManager.getConnection(url, username, password), signal, Duration.ofSeconds(5));
  }

  PostgresJobListener(Connector connector, WorkSignal signal, Duration pause) {
    this.connector = connector;
    this.signal = signal;
    this.pause = pause;
  }

  @Override
  public synchronized void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("imgpress-job-listener").start(this::listen);
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofMillis(WAIT_MILLIS * 4L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Whether the listener has a connection that {@code LISTEN}s: for tests and for a health view.
   */
  boolean listening() {
    return listening;
  }

  private void listen() {
    while (running) {
      try (Connection connection = connector.connect()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("listen " + JdbcJobQueue.CHANNEL);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        listening = true;
        if (connected) {
          // Jobs enqueued while the last connection was down sent notifications nobody heard.
          signal.jobsAdded(1);
        }
        connected = true;
        long nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
        while (running) {
          if (System.nanoTime() - nextCheck >= 0) {
            // Waiting for notifications sends nothing, so a connection a firewall or NAT dropped
            // without a reset would look idle for ever; a query fails on it and we reconnect.
            try (Statement statement = connection.createStatement()) {
              statement.setQueryTimeout((int) CHECK_EVERY.toSeconds());
              statement.execute("select 1");
            }
            nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
          }
          PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
          int jobs = 0;
          for (PGNotification notification :
              notifications == null ? new PGNotification[0] : notifications) {
            jobs = (int) Math.min(Integer.MAX_VALUE, (long) jobs + count(notification));
          }
          if (jobs > 0) {
            signal.jobsAdded(jobs);
          }
        }
      } catch (SQLException | RuntimeException e) {
        listening = false;
        if (running) {
          log.warn(
              "Listening for new jobs failed ({}); reconnecting in {} ms, polling meanwhile",
              e.toString(),
              pause.toMillis());
          pauseBeforeReconnect();
        }
      } finally {
        listening = false;
      }
    }
  }

  private static int count(PGNotification notification) {
    try {
      return Math.max(1, Integer.parseInt(notification.getParameter()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private void pauseBeforeReconnect() {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
