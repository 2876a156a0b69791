package io.imgpress.db;

import io.imgpress.ImgpressProperties;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The store's database: which dialect the JDBC adapters speak, checked against the URL. Absent with
 * {@code imgpress.store=mongodb}, which has no SQL database.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSqlStore
class DatabaseConfiguration {

  /** Static, so that it runs before any bean, the data source and Flyway among them, is made. */
  @Bean
  static BeanFactoryPostProcessor storeDatabaseCheck(Environment env) {
    return new StoreDatabaseCheck(env);
  }

  /** Boot backs off from its own when this one exists; its customizers still apply. */
  @Bean
  JdbcTransactionManager transactionManager(
      DataSource dataSource, ObjectProvider<TransactionManagerCustomizers> customizers) {
    JdbcTransactionManager manager = new ConnectionLossTransactionManager(dataSource);
    customizers.ifAvailable(c -> c.customize(manager));
    return manager;
  }

  @Bean
  Dialect dialect(ImgpressProperties properties) {
    return Dialect.of(properties.store());
  }
}
