package io.imgpress.queue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RedisQueuePropertiesTest {

  private static final Validator validator =
      Validation.buildDefaultValidatorFactory().getValidator();

  private static RedisQueueProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("imgpress.queue.redis", RedisQueueProperties.class);
  }

  private static Set<String> violations(Map<String, String> properties) {
    return validator.validate(bind(properties)).stream()
        .map(v -> v.getPropertyPath() + " " + v.getMessage())
        .collect(Collectors.toSet());
  }

  @Test
  void unsetPropertiesFallBackToSafeDefaults() {
    RedisQueueProperties bound = bind(Map.of());
    assertThat(bound.keyPrefix()).isEqualTo("imgpress:");
    assertThat(bound.maxDeliveries()).isEqualTo(64);
    assertThat(bound.consumer()).matches("[A-Za-z0-9_.-]+@\\d+-[0-9a-f]{8}");
    assertThat(violations(Map.of())).isEmpty();
  }

  @Test
  void everyProcessGetsAConsumerOfItsOwn() {
    assertThat(bind(Map.of()).consumer()).isNotEqualTo(bind(Map.of()).consumer());
  }

  @Test
  void bindsConfiguredValues() {
    RedisQueueProperties bound =
        bind(
            Map.of(
                "imgpress.queue.redis.key-prefix", "shop-a:imgpress:",
                "imgpress.queue.redis.max-deliveries", "25",
                "imgpress.queue.redis.consumer", "worker-3"));
    assertThat(bound).isEqualTo(new RedisQueueProperties("shop-a:imgpress:", 25, "worker-3"));
  }

  @Test
  void refusesValuesThatWouldBreakKeysOrHandles() {
    assertThat(violations(Map.of("imgpress.queue.redis.key-prefix", "a b{")))
        .singleElement()
        .asString()
        .startsWith("keyPrefix");
    assertThat(violations(Map.of("imgpress.queue.redis.consumer", "a|b")))
        .singleElement()
        .asString()
        .startsWith("consumer");
    assertThat(violations(Map.of("imgpress.queue.redis.max-deliveries", "0")))
        .singleElement()
        .asString()
        .startsWith("maxDeliveries");
  }
}
