package io.imgpress.queue.redis;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.RedisCallback;
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
    warnUnlessNoEviction(redis);
    return new RedisJobQueue(redis, clock, meters, properties);
  }

  /**
   * An evicting Redis drops queued jobs silently when it is full (the reconciler sends them again,
   * up to a minute later). Managed services often refuse {@code CONFIG}: then nothing is said.
   */
  static void warnUnlessNoEviction(StringRedisTemplate redis) {
    try {
      Properties policy =
          redis.execute(
              (RedisCallback<Properties>) c -> c.serverCommands().getConfig("maxmemory-policy"));
      String value = policy == null ? null : policy.getProperty("maxmemory-policy");
      if (value != null && !value.equals("noeviction")) {
        log.warn(
            "Redis maxmemory-policy is {}: when Redis is full it evicts keys, queued jobs"
                + " among them; set it to noeviction",
            value);
      }
    } catch (RuntimeException e) {
      log.debug("Could not read Redis maxmemory-policy", e);
    }
  }
}
