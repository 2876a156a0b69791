package io.imgpress.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A commit or rollback cut off by a lost connection is an unreachable database (the API's 503),
 * which Boot's manager reported as a TransactionSystemException (a 500): seen when PostgreSQL ended
 * the sessions of an upload in flight.
 */
class ConnectionLossTransactionManagerTest {

  private final ConnectionLossTransactionManager manager =
      new ConnectionLossTransactionManager(new JdbcDataSource());

  @Test
  void aLostConnectionOnCommitOrRollbackIsAnUnreachableDatabase() {
    for (String state : new String[] {"57P01", "57P02", "08006", "08003"}) {
      assertThat(manager.translateException("JDBC rollback", new SQLException("gone", state)))
          .as(state)
          .isInstanceOf(DataAccessResourceFailureException.class)
          .hasMessageContaining("JDBC rollback failed");
    }
  }

  @Test
  void aRollbackOnAConnectionThePoolAlreadyClosedIsAnUnreachableDatabase() {
    // What HikariCP throws for a connection it evicted after the statement's fatal error.
    assertThat(
            manager.translateException("JDBC rollback", new SQLException("Connection is closed")))
        .isInstanceOf(DataAccessResourceFailureException.class);
  }

  @Test
  void otherFailuresAreLeftToSpring() {
    assertThat(
            manager.translateException(
                "JDBC commit", new SQLException("could not serialize", "40001")))
        .isNotInstanceOf(DataAccessResourceFailureException.class);
  }
}
