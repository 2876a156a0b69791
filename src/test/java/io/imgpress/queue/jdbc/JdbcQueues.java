package io.imgpress.queue.jdbc;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The JDBC queue for tests in other packages, which cannot see its constructor. */
public final class JdbcQueues {

  private JdbcQueues() {}

  public static JdbcJobQueue queue(DataSource ds, Clock clock) {
    return new JdbcJobQueue(
        JdbcClient.create(ds),
        new JdbcTemplate(ds),
        new TransactionTemplate(new DataSourceTransactionManager(ds)),
        clock);
  }
}
