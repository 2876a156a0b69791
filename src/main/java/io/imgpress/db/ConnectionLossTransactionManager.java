package io.imgpress.db;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Boot's JDBC transaction manager, except that a commit or rollback that fails because the
 * connection is gone (SQLState class 08, or PostgreSQL's 57P shutdown states: the server stopping
 * or an administrator ending the session) is reported as the unreachable database it is, as a
 * statement failing the same way already is, and not as a bare {@code TransactionSystemException}
 * that callers cannot tell from a bug.
 */
class ConnectionLossTransactionManager extends JdbcTransactionManager {

  ConnectionLossTransactionManager(DataSource dataSource) {
    super(dataSource);
  }

  @Override
  protected RuntimeException translateException(String task, SQLException ex) {
    String state = ex.getSQLState();
    if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
      return new DataAccessResourceFailureException(
          task + " failed: the connection to the database is gone", ex);
    }
    return super.translateException(task, ex);
  }
}
