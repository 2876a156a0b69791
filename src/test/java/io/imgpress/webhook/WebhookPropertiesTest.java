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
  void aNegativeDeadlineIsRefused() {
    assertThat(violations(bind(Map.of("imgpress.webhook.timeout", "-1s"))))
        .containsExactly("timeout must be positive and at most 2m");
    assertThat(violations(bind(Map.of("imgpress.webhook.timeout", "1ms")))).isEmpty();
    assertThat(violations(bind(Map.of("imgpress.webhook.timeout", "121s"))))
        .containsExactly("timeout must be positive and at most 2m");
  }

  @Test
  void eachBackoffMustBePositive() {
    String message = "initial-backoff and max-backoff must be positive";
    assertThat(violations(bind(Map.of("imgpress.webhook.initial-backoff", "-1s"))))
        .containsExactly(message);
    assertThat(violations(bind(Map.of("imgpress.webhook.max-backoff", "0s"))))
        .containsExactly(message);
    assertThat(violations(bind(Map.of("imgpress.webhook.max-backoff", "-5s"))))
        .containsExactly(message);
    assertThat(violations(bind(Map.of("imgpress.webhook.initial-backoff", "1ms")))).isEmpty();
  }

  @Test
  void missingDurationsAreReportedOnceAsMissing() {
    // Null is @NotNull's to report; the range checks must not add a second, misleading message.
    Set<String> violations = violations(new WebhookProperties(null, 10, null, null, null, 2));
    assertThat(violations).hasSize(1);
    assertThat(violations.iterator().next()).doesNotContain("positive");
  }

  @Test
  void attemptsAndWorkersStayInTheirBounds() {
    assertThat(violations(bind(Map.of("imgpress.webhook.max-attempts", "0")))).hasSize(1);
    assertThat(violations(bind(Map.of("imgpress.webhook.max-attempts", "51")))).hasSize(1);
    assertThat(violations(bind(Map.of("imgpress.webhook.max-attempts", "50")))).isEmpty();
    assertThat(violations(bind(Map.of("imgpress.webhook.workers", "0")))).hasSize(1);
    assertThat(violations(bind(Map.of("imgpress.webhook.workers", "65")))).hasSize(1);
    assertThat(violations(bind(Map.of("imgpress.webhook.workers", "64")))).isEmpty();
  }

  @Test
  void backoffsArePositive() {
    assertThat(violations(bind(Map.of("imgpress.webhook.initial-backoff", "0s"))))
        .containsExactly("initial-backoff and max-backoff must be positive");
  }
}
