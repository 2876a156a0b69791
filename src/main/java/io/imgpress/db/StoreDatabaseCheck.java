package io.imgpress.db;

import io.imgpress.ImgpressProperties.Store;
import java.util.Locale;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Stops the start when {@code imgpress.store} and {@code spring.datasource.url} name different
 * databases, before anything connects: the default URL is the embedded H2 file, so {@code
 * imgpress.store=postgres} without a PostgreSQL URL would otherwise quietly run on H2, with the
 * recovery that only a database of one process may have.
 */
final class StoreDatabaseCheck implements BeanFactoryPostProcessor {

  private final Environment env;

  StoreDatabaseCheck(Environment env) {
    this.env = env;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(store(env), env.getProperty("spring.datasource.url"));
  }

  /** {@code imgpress.store}, relaxed as the properties bind it; {@code h2} when not set. */
  static Store store(Environment env) {
    return Binder.get(env).bind("imgpress.store", Store.class).orElse(Store.H2);
  }

  /**
   * @throws IllegalStateException when {@code url} is not a JDBC URL of {@code store}'s database
   */
  static void check(Store store, String url) {
    String prefix =
        switch (store) {
          case H2 -> "jdbc:h2:";
          case POSTGRES -> "jdbc:postgresql:";
          case MONGODB -> null; // no SQL database to check
        };
    if (prefix == null) {
      return;
    }
    // ":h2:" or ":postgresql:" anywhere: a wrapping driver (jdbc:p6spy:postgresql:) names it later.
    String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
    if (!lower.contains(prefix.substring("jdbc".length()))) {
      String name = store.name().toLowerCase(Locale.ROOT);
      throw new IllegalStateException(
          "imgpress.store="
              + name
              + " needs spring.datasource.url to start with "
              + prefix
              + " but it is "
              + (url == null ? "not set" : withoutSecrets(url))
              + (store == Store.POSTGRES
                  ? ": set spring.datasource.url (SPRING_DATASOURCE_URL) to the server's"
                      + " jdbc:postgresql://host:port/database, with spring.datasource.username and"
                      + " the password in SPRING_DATASOURCE_PASSWORD"
                  : ": leave spring.datasource.url at its default, or set imgpress.store=postgres"
                      + " for a PostgreSQL URL"));
    }
  }

  /** The URL without its query, where a password may be. */
  private static String withoutSecrets(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }
}
