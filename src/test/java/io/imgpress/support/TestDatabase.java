package io.imgpress.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A fresh, migrated database per call, for adapter tests without Spring: in-memory H2, or a new
 * database on the one PostgreSQL server of this test JVM ({@link TestPostgres}).
 */
public final class TestDatabase {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private TestDatabase() {}

  public static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:t" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    flyway(ds, "h2").load().migrate();
    return ds;
  }

  /**
   * A new, migrated PostgreSQL database behind a small pool. Pools are not closed by the tests that
   * take them; their connections close themselves when idle (the server allows plenty).
   */
  public static DataSource postgres() {
    DataSource ds = pool(emptyPostgres(), 10);
    flyway(ds, "postgresql").load().migrate();
    return ds;
  }

  /** The JDBC URL of a new, empty PostgreSQL database; user and password are {@link #user()}. */
  public static String emptyPostgres() {
    String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    TestPostgres server = TestPostgres.server();
    try {
      server.create(name);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database " + name, e);
    }
    return server.url(name);
  }

  /**
   * Makes the database at {@code url} (one of {@link #emptyPostgres()}) unreachable for clients, or
   * reachable again.
   */
  public static void allowConnections(String url, boolean allow) {
    String name = url.substring(url.lastIndexOf('/') + 1);
    try {
      TestPostgres.server().allowConnections(name, allow);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not change access to test database " + name, e);
    }
  }

  public static String user() {
    return TestPostgres.server().user();
  }

  /** A pool on {@code url} of at most {@code size} connections that close when idle. */
  public static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setIdleTimeout(10_000);
    config.setPoolName("test-" + url.substring(url.lastIndexOf('/') + 1));
    return new HikariDataSource(config);
  }

  /** Flyway as the application configures it: the common scripts and the vendor's own. */
  public static FluentConfiguration flyway(DataSource ds, String vendor) {
    return Flyway.configure()
        .dataSource(ds)
        .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor);
  }

  public static JdbcClient client(DataSource ds) {
    return JdbcClient.create(ds);
  }

  public static JdbcTemplate template(DataSource ds) {
    return new JdbcTemplate(ds);
  }
}
