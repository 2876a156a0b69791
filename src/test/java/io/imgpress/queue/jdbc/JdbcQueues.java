package io.imgpress.queue.jdbc;

import io.imgpress.db.Dialect;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The JDBC queue for tests in other packages, which cannot see its constructor. */
public final class JdbcQueues {

  private JdbcQueues() {}

  /** The queue on H2. */
  public static JdbcJobQueue queue(DataSource ds, Clock clock) {
    return queue(ds, clock, Dialect.H2);
  }

  public static JdbcJobQueue queue(DataSource ds, Clock clock, Dialect dialect) {
    return new JdbcJobQueue(
        JdbcClient.create(ds),
        new JdbcTemplate(ds),
        new TransactionTemplate(new DataSourceTransactionManager(ds)),
        clock,
        dialect);
  }
}
