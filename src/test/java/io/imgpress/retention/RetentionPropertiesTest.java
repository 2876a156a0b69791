package io.imgpress.retention;

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

class RetentionPropertiesTest {

  private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

  @AfterAll
  static void closeValidation() {
    VALIDATION.close();
  }

  private static RetentionProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("imgpress.retention", RetentionProperties.class);
  }

  private static Set<String> violations(RetentionProperties properties) {
    return VALIDATION.getValidator().validate(properties).stream()
        .map(ConstraintViolation::getMessage)
        .collect(Collectors.toSet());
  }

  @Test
  void keepsForeverByDefault() {
    RetentionProperties defaults = bind(Map.of());
    assertThat(defaults).isEqualTo(RetentionProperties.defaults());
    assertThat(defaults.keepFor()).isEmpty();
    assertThat(violations(defaults)).isEmpty();
  }

  @Test
  void aPeriodIsKeptFor() {
    RetentionProperties set =
        bind(
            Map.of(
                "imgpress.retention.period", "30d",
                "imgpress.retention.sweep-interval", "5m"));
    assertThat(set.keepFor()).contains(Duration.ofDays(30));
    assertThat(set.sweepInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(violations(set)).isEmpty();
  }

  @Test
  void refusesANegativePeriodNonPositiveIntervalsAndAnEmptyBatch() {
    assertThat(violations(bind(Map.of("imgpress.retention.period", "-1d"))))
        .containsExactly("period must not be negative (0 keeps requests forever)");
    assertThat(violations(bind(Map.of("imgpress.retention.sweep-interval", "0s"))))
        .containsExactly("sweep-interval and recheck-after must be positive");
    assertThat(violations(bind(Map.of("imgpress.retention.recheck-after", "-1m"))))
        .containsExactly("sweep-interval and recheck-after must be positive");
    assertThat(violations(bind(Map.of("imgpress.retention.batch-size", "0")))).hasSize(1);
  }
}
