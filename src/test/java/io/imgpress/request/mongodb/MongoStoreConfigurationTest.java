package io.imgpress.request.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobOutbox;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import io.imgpress.support.MutableClock;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

/** {@code imgpress.store=mongodb} wires the Mongo adapters from Boot's client, or stops clearly. */
class MongoStoreConfigurationTest {

  ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(MongoAutoConfiguration.class))
          .withUserConfiguration(MongoStoreConfiguration.class)
          .withBean(Clock.class, MutableClock::new);

  @Test
  void theStorePortsAreMongoAdaptersOnTheDatabaseOfTheUri() {
    runner
        .withPropertyValues(
            "imgpress.store=mongodb",
            "imgpress.queue=redis",
            "spring.mongodb.uri=" + MongoTestServer.uri() + "/configured")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              // Behind the failure translation (MongoFailures), which hands toString through.
              assertThat(context.getBean(RequestRepository.class).toString())
                  .startsWith(MongoRequestRepository.class.getName() + "@");
              assertThat(context.getBean(ImageTransitions.class).toString())
                  .startsWith(MongoImageTransitions.class.getName() + "@");
              assertThat(context.getBean(WebhookLog.class).toString())
                  .startsWith(MongoWebhookLog.class.getName() + "@");
              assertThat(context.getBean(JobOutbox.class)).isInstanceOf(MongoJobOutbox.class);
              MongoStore store = context.getBean(MongoStore.class);
              assertThat(store.requests.getNamespace().getDatabaseName()).isEqualTo("configured");
              List<String> indexes = new ArrayList<>();
              for (Document index : store.images.listIndexes()) {
                indexes.add(index.getString("name"));
              }
              assertThat(indexes).contains("requestId_1_status_1", "requestId_1_changeNumber_1");
              // Created again by a second process: idempotent.
              new MongoStore(
                  context.getBean(com.mongodb.client.MongoClient.class).getDatabase("configured"));
            });
  }

  @Test
  void isOffForTheOtherStores() {
    runner
        .withPropertyValues("imgpress.store=postgres")
        .run(context -> assertThat(context).doesNotHaveBean(MongoStore.class));
    runner.run(context -> assertThat(context).doesNotHaveBean(MongoStore.class));
  }

  @Test
  void withTheDatabaseQueueItDoesNotStartAndSaysWhy() {
    runner
        .withPropertyValues("imgpress.store=mongodb", "spring.mongodb.uri=" + MongoTestServer.uri())
        .run(
            context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("imgpress.store=mongodb has no SQL database")
                    .hasMessageContaining("imgpress.queue=redis"));
  }

  @Test
  void theDatabaseIsTheConfiguredOneElseTheUrisElseImgpress() {
    assertThat(MongoStoreConfiguration.database("a", "b")).isEqualTo("a");
    assertThat(MongoStoreConfiguration.database(null, "b")).isEqualTo("b");
    assertThat(MongoStoreConfiguration.database(" ", null)).isEqualTo("imgpress");
  }
}
