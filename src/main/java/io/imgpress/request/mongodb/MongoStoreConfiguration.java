package io.imgpress.request.mongodb;

import com.mongodb.client.MongoClient;
import io.imgpress.ImgpressProperties.Queue;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@code imgpress.store=mongodb}: requests, products and images in MongoDB, through the client
 * Spring Boot makes from {@code spring.mongodb.uri}. The database is {@code
 * spring.mongodb.database} if set, else the one the URI names, else {@code imgpress}. Without a SQL
 * database there is no table for the database queue, so this store needs another queue. The ports
 * the application calls report an unreachable database as the JDBC store does ({@link
 * MongoFailures}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "imgpress.store", havingValue = "mongodb")
class MongoStoreConfiguration {

  private static final Logger log = LoggerFactory.getLogger(MongoStoreConfiguration.class);

  /** Static, so that it stops the start before any bean is made. */
  @Bean
  static BeanFactoryPostProcessor mongoStoreQueueCheck(Environment env) {
    return beanFactory ->
        checkQueue(Binder.get(env).bind("imgpress.queue", Queue.class).orElse(Queue.DATABASE));
  }

  static void checkQueue(Queue queue) {
    if (queue == Queue.DATABASE) {
      throw new IllegalStateException(
          "imgpress.store=mongodb has no SQL database for imgpress.queue=database (the default):"
              + " set imgpress.queue=redis, with spring.data.redis.url, on every process");
    }
  }

  @Bean
  MongoStore mongoStore(
      MongoClient client, MongoProperties properties, MongoConnectionDetails connection) {
    String database =
        database(properties.getDatabase(), connection.getConnectionString().getDatabase());
    log.info("Request store: MongoDB database {}", database);
    return new MongoStore(client.getDatabase(database));
  }

  static String database(String configured, String fromUri) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    return fromUri != null && !fromUri.isBlank() ? fromUri : "imgpress";
  }

  @Bean
  MongoJobOutbox jobOutbox(MongoStore store, Clock clock) {
    return new MongoJobOutbox(store, clock);
  }

  @Bean
  RequestRepository requestRepository(MongoStore store, MongoJobOutbox jobOutbox, Clock clock) {
    return MongoFailures.translated(
        RequestRepository.class, new MongoRequestRepository(store, jobOutbox, clock));
  }

  @Bean
  ImageTransitions imageTransitions(MongoStore store, MongoJobOutbox jobOutbox, Clock clock) {
    return MongoFailures.translated(
        ImageTransitions.class, new MongoImageTransitions(store, jobOutbox, clock));
  }

  @Bean
  WebhookLog webhookLog(MongoStore store) {
    return MongoFailures.translated(WebhookLog.class, new MongoWebhookLog(store));
  }
}
