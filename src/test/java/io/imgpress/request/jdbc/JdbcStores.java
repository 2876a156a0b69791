package io.imgpress.request.jdbc;

import io.imgpress.db.Dialect;
import io.imgpress.queue.JobOutbox;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * The JDBC request adapters for tests in other packages, which cannot see their constructors; each
 * runs its methods in transactions, as the application's proxies do.
 */
public final class JdbcStores {

  private JdbcStores() {}

  public static RequestRepository requests(DataSource ds, Clock clock) {
    return transactional(
        new JdbcRequestRepository(JdbcClient.create(ds), new JdbcTemplate(ds), clock),
        RequestRepository.class,
        ds);
  }

  public static ImageTransitions transitions(DataSource ds, Clock clock) {
    return transactional(
        new JdbcImageTransitions(JdbcClient.create(ds), new JdbcTemplate(ds), clock),
        ImageTransitions.class,
        ds);
  }

  /** The outbox of an H2 store. */
  public static JobOutbox outbox(DataSource ds, Clock clock) {
    return outbox(ds, clock, Dialect.H2);
  }

  public static JobOutbox outbox(DataSource ds, Clock clock, Dialect dialect) {
    return transactional(
        new JdbcJobOutbox(JdbcClient.create(ds), dialect, clock), JobOutbox.class, ds);
  }

  private static <T> T transactional(T target, Class<T> type, DataSource ds) {
    ProxyFactory factory = new ProxyFactory(target);
    factory.setInterfaces(type);
    factory.addAdvice(
        new TransactionInterceptor(
            new DataSourceTransactionManager(ds), new AnnotationTransactionAttributeSource()));
    return type.cast(factory.getProxy());
  }

  public static WebhookLog webhookLog(DataSource ds, Clock clock) {
    return new JdbcWebhookLog(JdbcClient.create(ds), clock);
  }
}
