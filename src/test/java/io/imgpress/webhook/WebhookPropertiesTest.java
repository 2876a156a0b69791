package io.imgpress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class WebhookPropertiesTest {

  private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

  @AfterAll
  static void closeValidation() {
    VALIDATION.close();
  }

  private static WebhookProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("imgpress.webhook", WebhookProperties.class);
  }

  private static Set<String> violations(WebhookProperties properties) {
    return VALIDATION.getValidator().validate(properties).stream()
        .map(ConstraintViolation::getMessage)
        .collect(Collectors.toSet());
  }

  @Test
  void defaults() {
    WebhookProperties defaults = bind(Map.of());
    assertThat(defaults)
        .isEqualTo(
            new WebhookProperties(
                null,
                10,
                Duration.ofSeconds(2),
                Duration.ofMinutes(10),
                Duration.ofSeconds(10),
                2));
    assertThat(violations(defaults)).isEmpty();
  }

  @Test
  void theDeliveryDeadlineIsPositiveAndFarBelowTheLease() {
    assertThat(violations(bind(Map.of("imgpress.webhook.timeout", "0s"))))
        .containsExactly("timeout must be positive and at most 2m");
    assertThat(violations(bind(Map.of("imgpress.webhook.timeout", "15m"))))
        .containsExactly("timeout must be positive and at most 2m");
    assertThat(violations(bind(Map.of("imgpress.webhook.timeout", "2m")))).isEmpty();
  }

  @Test
  void backoffsArePositive() {
    assertThat(violations(bind(Map.of("imgpress.webhook.initial-backoff", "0s"))))
        .containsExactly("initial-backoff and max-backoff must be positive");
  }
}
