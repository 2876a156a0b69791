package io.imgpress.request.jdbc;

import io.imgpress.db.Dialect;
import io.imgpress.support.TestDatabase;
import javax.sql.DataSource;

/** The change numbers' guarantee on PostgreSQL, whose workers commit through a pool. */
class PostgresChangeNumberConcurrencyTest extends ChangeNumberConcurrencyTest {

  @Override
  DataSource database() {
    return TestDatabase.postgres();
  }

  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
