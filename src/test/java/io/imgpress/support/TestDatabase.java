package io.imgpress.support;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A fresh, migrated in-memory H2 database per call, for adapter tests without Spring. */
public final class TestDatabase {

  private TestDatabase() {}

  public static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:t" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    Flyway.configure().dataSource(ds).load().migrate();
    return ds;
  }

  public static JdbcClient client(DataSource ds) {
    return JdbcClient.create(ds);
  }

  public static JdbcTemplate template(DataSource ds) {
    return new JdbcTemplate(ds);
  }
}
