package io.imgpress.request.jdbc;

import io.imgpress.db.Dialect;
import io.imgpress.queue.JobOutbox;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.JobOutboxContract;
import io.imgpress.request.RequestRepository;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/** The outbox contract on H2 and on PostgreSQL. */
class JdbcJobOutboxTest {

  abstract static class OnJdbc extends JobOutboxContract {
    final MutableClock clock = new MutableClock();
    RequestRepository requests;
    ImageTransitions transitions;
    JobOutbox outbox;

    void wire(DataSource ds, Dialect dialect) {
      requests = JdbcStores.requests(ds, clock);
      transitions = JdbcStores.transitions(ds, clock);
      outbox = JdbcStores.outbox(ds, clock, dialect);
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
    protected JobOutbox outbox() {
      return outbox;
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

  @Nested
  class OnH2 extends OnJdbc {
    @BeforeEach
    void create() {
      wire(TestDatabase.h2(), Dialect.H2);
    }
  }

  @Nested
  class OnPostgres extends OnJdbc {
    @BeforeEach
    void create() {
      wire(TestDatabase.postgres(), Dialect.POSTGRESQL);
    }
  }
}
