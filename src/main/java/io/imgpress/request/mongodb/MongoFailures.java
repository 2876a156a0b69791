package io.imgpress.request.mongodb;

import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The driver's "cannot reach the database now" failures, turned at the adapter boundary into the
 * data-access exception the JDBC store raises for the same thing, so callers (the API's 503) need
 * not know which store runs. Every other failure passes through unchanged.
 */
final class MongoFailures {

  private MongoFailures() {}

  /** {@code target} behind {@code port}, its unreachable-database failures translated. */
  static <T> T translated(Class<T> port, T target) {
    return port.cast(
        Proxy.newProxyInstance(
            port.getClassLoader(),
            new Class<?>[] {port},
            (proxy, method, args) -> {
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw translate(e.getCause());
              }
            }));
  }

  static Throwable translate(Throwable e) {
    if (e instanceof MongoTimeoutException
        || e instanceof MongoSocketException
        || e instanceof MongoNotPrimaryException
        || e instanceof MongoNodeIsRecoveringException) {
      return new DataAccessResourceFailureException("MongoDB cannot be reached", e);
    }
    return e;
  }
}
