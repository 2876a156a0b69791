package io.imgpress;

import io.imgpress.ImgpressProperties.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Leaves out the auto-configuration of the store technology not in use: with {@code
 * imgpress.store=mongodb} there is no SQL database, so no data source, JDBC templates, transaction
 * manager over JDBC or Flyway (the default URL would otherwise open the embedded H2 file); with a
 * SQL store there is no MongoDB client (which would otherwise try to reach {@code localhost:27017}
 * and report the health of a server nobody asked for). The exclusions are added to any {@code
 * spring.autoconfigure.exclude} already configured.
 */
class StoreEnvironment implements EnvironmentPostProcessor {

  static final List<String> SQL =
      List.of(
          "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
          "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
          "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
          "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
          "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
          "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
          "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration",
          "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

  static final List<String> MONGODB =
      List.of(
          "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
          "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration",
          "org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration",
          "org.springframework.boot.mongodb.autoconfigure.health.MongoReactiveHealthContributorAutoConfiguration",
          "org.springframework.boot.mongodb.autoconfigure.metrics.MongoMetricsAutoConfiguration");

  private static final String EXCLUDE = "spring.autoconfigure.exclude";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    Binder binder = Binder.get(env);
    Store store;
    try {
      store = binder.bind("imgpress.store", Store.class).orElse(Store.H2);
    } catch (RuntimeException e) {
      return; // not a store: binding ImgpressProperties reports it, with the values it accepts
    }
    List<String> exclude =
        new ArrayList<>(binder.bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
    exclude.addAll(store == Store.MONGODB ? SQL : MONGODB);
    env.getPropertySources()
        .addFirst(
            new MapPropertySource("imgpressStore", Map.of(EXCLUDE, String.join(",", exclude))));
    if (store == Store.MONGODB) {
      // The readiness group names the data source's "db" check, absent here; the request store's
      // own check (requestStore) covers MongoDB. A default only: a configured value wins.
      env.getPropertySources()
          .addLast(
              new MapPropertySource(
                  "imgpressStoreDefaults",
                  Map.of("management.endpoint.health.validate-group-membership", "false")));
    }
  }
}
