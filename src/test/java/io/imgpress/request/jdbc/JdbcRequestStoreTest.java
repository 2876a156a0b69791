package io.imgpress.request.jdbc;

import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStoreContract;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

class JdbcRequestStoreTest extends RequestStoreContract {

  MutableClock clock = new MutableClock();
  JdbcRequestRepository requests;
  JdbcImageTransitions transitions;

  @BeforeEach
  void create() {
    DataSource ds = TestDatabase.h2();
    requests = new JdbcRequestRepository(TestDatabase.client(ds), TestDatabase.template(ds), clock);
    transitions =
        new JdbcImageTransitions(TestDatabase.client(ds), TestDatabase.template(ds), clock);
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
