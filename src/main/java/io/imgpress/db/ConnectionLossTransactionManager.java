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
 * that callers cannot tell from a bug. A rollback that fails at all is taken as such a loss: it
 * runs after a statement failed, and the pool reports a connection it already evicted for that
 * failure only as "Connection is closed", with no SQLState; nothing was committed either way.
 */
class ConnectionLossTransactionManager extends JdbcTransactionManager {

  ConnectionLossTransactionManager(DataSource dataSource) {
    super(dataSource);
  }

  @Override
  protected RuntimeException translateException(String task, SQLException ex) {
    String state = ex.getSQLState();
    boolean lost = state != null && (state.startsWith("08") || state.startsWith("57P"));
    if (lost || task.startsWith("JDBC rollback")) {
      return new DataAccessResourceFailureException(
          task + " failed: the connection to the database is gone", ex);
    }
    return super.translateException(task, ex);
  }
}
