package io.imgpress.queue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.jdbc.JdbcJobQueue;
import io.imgpress.support.ApiClient;
import io.imgpress.support.TestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The application with {@code imgpress.queue=redis} on the default H2 store: Redis is the queue,
 * the database queue's beans are off, and health reports the queue (Redis) UP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedisQueueApplicationTest {

  @LocalServerPort int port;
  @Autowired ApplicationContext context;
  @Autowired JobQueue queue;
  @Autowired MeterRegistry meters;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path dataDir = Files.createTempDirectory("imgpress-redis-app");
    registry.add("imgpress.queue", () -> "redis");
    registry.add("spring.data.redis.url", () -> TestRedis.shared().url());
    registry.add("imgpress.queue.redis.key-prefix", () -> "app-test:");
    registry.add("imgpress.data-dir", dataDir::toString);
    registry.add("imgpress.webhook.secret", () -> "redis-queue-app-secret");
  }

  @Test
  void theQueueIsRedisAndReportsHealthy() {
    assertThat(queue).isInstanceOf(RedisJobQueue.class);
    assertThat(context.getBeanNamesForType(JdbcJobQueue.class)).isEmpty();
    assertThat(
            meters.get("imgpress.queue.dead.letters").tag("kind", JobKind.IMAGE.name()).counter())
        .isNotNull();

    ApiClient api = new ApiClient("http://127.0.0.1:" + port);
    HttpResponse<String> health = api.get("/actuator/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    JsonNode components = api.json(health.body()).get("components");
    assertThat(components.get("queue").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("queue").get("details").get("jobs").asLong()).isZero();
    assertThat(components.has("redis")).as("the queue component covers Redis").isFalse();
    assertThat(api.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
  }
}
