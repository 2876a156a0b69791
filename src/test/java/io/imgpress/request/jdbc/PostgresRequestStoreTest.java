package io.imgpress.request.jdbc;

import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStoreContract;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** The request store contract on PostgreSQL. */
class PostgresRequestStoreTest extends RequestStoreContract {

  MutableClock clock = new MutableClock();
  RequestRepository requests;
  ImageTransitions transitions;

  @BeforeEach
  void create() {
    DataSource ds = TestDatabase.postgres();
    requests = JdbcStores.requests(ds, clock);
    transitions = JdbcStores.transitions(ds, clock);
  }

  @Override
  protected RequestRepository requests() {
    return requests;
  }

  @Override
  protected ImageTransitions transitions() {
    return transitions;
  }

  @Override
  protected void advanceClock() {
    clock.advance(Duration.ofSeconds(1));
  }
}
