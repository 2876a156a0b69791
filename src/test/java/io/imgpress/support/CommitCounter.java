package io.imgpress.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Wraps a {@link DataSource} to count commits: explicit {@link Connection#commit()} calls and every
 * write executed in auto-commit mode, which commits on its own. Reads are not counted.
 */
public final class CommitCounter {

  private static final Set<String> WRITES =
      Set.of("executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch", "execute");

  private final AtomicInteger commits = new AtomicInteger();
  private final DataSource dataSource;

  public CommitCounter(DataSource target) {
    this.dataSource =
        proxy(
            DataSource.class,
            target,
            (method, result) -> {
              if (result instanceof Connection connection) {
                return connection(connection);
              }
              return result;
            });
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public int commits() {
    return commits.get();
  }

  public void reset() {
    commits.set(0);
  }

  private Connection connection(Connection target) {
    return proxy(
        Connection.class,
        target,
        (method, result) -> {
          if (method.getName().equals("commit")) {
            commits.incrementAndGet();
          }
          if (result instanceof Statement statement) {
            return statement(method.getReturnType(), statement, target);
          }
          return result;
        });
  }

  private Object statement(Class<?> type, Statement target, Connection connection) {
    return proxyOf(
        type,
        target,
        (method, result) -> {
          if (WRITES.contains(method.getName()) && connection.getAutoCommit()) {
            commits.incrementAndGet();
          }
          return result;
        });
  }

  private interface After {
    Object apply(Method method, Object result) throws Exception;
  }

  private static <T> T proxy(Class<T> type, T target, After after) {
    return type.cast(proxyOf(type, target, after));
  }

  private static Object proxyOf(Class<?> type, Object target, After after) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          return after.apply(method, result);
        };
    return Proxy.newProxyInstance(
        CommitCounter.class.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
