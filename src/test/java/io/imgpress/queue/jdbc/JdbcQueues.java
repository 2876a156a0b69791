package io.imgpress.queue.jdbc;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The JDBC queue for tests in other packages, which cannot see its constructor. */
public final class JdbcQueues {

  private JdbcQueues() {}

  public static JdbcJobQueue queue(DataSource ds, Clock clock) {
    return new JdbcJobQueue(JdbcClient.create(ds), new JdbcTemplate(ds), clock);
  }
}
