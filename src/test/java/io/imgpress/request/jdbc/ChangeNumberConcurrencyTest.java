package io.imgpress.request.jdbc;

import io.imgpress.db.Dialect;
import io.imgpress.queue.JobOutbox;
import io.imgpress.request.ChangeNumberConcurrencyContract;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestRepository;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import javax.sql.DataSource;

/** The change numbers' guarantee on H2 (on PostgreSQL in the subclass). */
class ChangeNumberConcurrencyTest extends ChangeNumberConcurrencyContract {

  final MutableClock clock = new MutableClock();
  DataSource ds;
  RequestRepository requests;

  /** A fresh, migrated database. */
  DataSource database() {
    return TestDatabase.h2();
  }

  @Override
  protected void createStore() {
    ds = database();
    requests = JdbcStores.requests(ds, clock);
  }

  @Override
  protected RequestRepository requests() {
    return requests;
  }

  @Override
  protected ImageTransitions worker(int w) {
    return JdbcStores.transitions(ds, clock);
  }

  @Override
  protected JobOutbox outbox() {
    return JdbcStores.outbox(ds, clock, dialect());
  }

  Dialect dialect() {
    return Dialect.H2;
  }
}
