package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** The auto-configuration of the store technology not in use is left out. */
class StoreEnvironmentTest {

  private static List<String> excluded(MockEnvironment env) {
    new StoreEnvironment().postProcessEnvironment(env, new SpringApplication());
    return Arrays.asList(env.getProperty("spring.autoconfigure.exclude", "").split(","));
  }

  @Test
  void mongodbLeavesOutTheSqlDatabaseAndKeepsWhatWasExcludedAlready() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("imgpress.store", "MongoDB")
            .withProperty("spring.autoconfigure.exclude", "a.B,c.D");
    assertThat(excluded(env))
        .contains("a.B", "c.D")
        .containsAll(StoreEnvironment.SQL)
        .doesNotContainAnyElementsOf(StoreEnvironment.MONGODB);
    assertThat(env.getProperty("management.endpoint.health.validate-group-membership"))
        .isEqualTo("false");
  }

  @Test
  void theSqlStoresLeaveOutMongodb() {
    assertThat(excluded(new MockEnvironment())).containsExactlyElementsOf(StoreEnvironment.MONGODB);
    assertThat(excluded(new MockEnvironment().withProperty("imgpress.store", "postgres")))
        .containsExactlyElementsOf(StoreEnvironment.MONGODB);
  }

  @Test
  void aConfiguredHealthGroupCheckWins() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("imgpress.store", "mongodb")
            .withProperty("management.endpoint.health.validate-group-membership", "true");
    excluded(env);
    assertThat(env.getProperty("management.endpoint.health.validate-group-membership"))
        .isEqualTo("true");
  }

  @Test
  void anUnknownStoreIsLeftForThePropertiesToReport() {
    MockEnvironment env = new MockEnvironment().withProperty("imgpress.store", "cassandra");
    new StoreEnvironment().postProcessEnvironment(env, new SpringApplication());
    assertThat(env.getProperty("spring.autoconfigure.exclude")).isNull();
  }
}
