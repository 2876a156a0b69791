package io.imgpress.queue.redis;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@code imgpress.queue=redis}: jobs in Redis Streams, through Spring Boot's Redis connection
 * ({@code spring.data.redis.url}, Lettuce).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "imgpress.queue", havingValue = "redis")
class RedisQueueConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RedisQueueConfiguration.class);

  @Bean
  RedisJobQueue redisJobQueue(
      StringRedisTemplate redis,
      Clock clock,
      MeterRegistry meters,
      RedisQueueProperties properties) {
    log.info(
        "Job queue: Redis Streams, keys {}*, consumer {}, dead letters after {} deliveries",
        properties.keyPrefix() + "{queue}:",
        properties.consumer(),
        properties.maxDeliveries());
    return new RedisJobQueue(redis, clock, meters, properties);
  }
}
