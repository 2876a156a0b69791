package io.imgpress.request.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.ImageTransitions;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.request.ImageTransitions.Outcome;
import io.imgpress.request.ImageTransitions.Start;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.RequestRepository;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A deletion that commits while image transitions wait for its request row: on PostgreSQL they read
 * their images before the lock and find the request gone after it.
 */
class PostgresDeletionRaceTest {

  @Test
  void transitionsThatWaitedOnADeletedRequestChangeNothingAndSayTheImageIsGone() throws Exception {
    DataSource ds = TestDatabase.postgres();
    MutableClock clock = new MutableClock();
    RequestRepository requests = JdbcStores.requests(ds, clock);
    ImageTransitions transitions = JdbcStores.transitions(ds, clock);
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            50,
            null,
            List.of(new NewProduct(1, "a", List.of("http://o.test/1", "http://o.test/2"))));
    requests.stage(request);
    List<Long> ids = requests.expand(request.id()).orElseThrow();
    transitions.start(ids.get(0), "w1").orElseThrow();
    String id = request.id().toString();

    try (Connection deleting = ds.getConnection();
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      deleting.setAutoCommit(false);
      // What a deletion does first: hold the request row.
      update(deleting, "select request_id from requests where request_id = ? for update", id);
      Future<Outcome> completing =
          pool.submit(() -> transitions.complete(ids.get(0), "w1", "/images/x/1.jpg", 1, 1));
      Future<List<ImageWork>> starting =
          pool.submit(() -> transitions.startAll(List.of(new Start(ids.get(1), "w2"))));
      awaitWaitingOnLocks(ds, 2);
      for (String table : List.of("images", "products", "staged_uploads", "requests")) {
        update(deleting, "delete from " + table + " where request_id = ?", id);
      }
      deleting.commit();

      Outcome late = completing.get(20, TimeUnit.SECONDS);
      assertThat(late.applied()).isFalse();
      assertThat(late.requestStatus()).isNull();
      assertThat(starting.get(20, TimeUnit.SECONDS)).isEmpty();
    }
    assertThat(requests.find(request.id())).isEmpty();
  }

  private static void update(Connection connection, String sql, String id) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, id);
      statement.execute();
    }
  }

  private static void awaitWaitingOnLocks(DataSource ds, int sessions) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try (Connection watching = ds.getConnection()) {
      while (System.nanoTime() < deadline) {
        try (PreparedStatement query =
                watching.prepareStatement(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                        + " and datname = current_database()");
            ResultSet rs = query.executeQuery()) {
          rs.next();
          if (rs.getInt(1) >= sessions) {
            return;
          }
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("the transitions never waited on the request row");
  }
}
