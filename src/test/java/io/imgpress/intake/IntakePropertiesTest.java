package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class IntakePropertiesTest {

  private static IntakeProperties bind(Map<String, String> properties) {
    var binder = new Binder(new MapConfigurationPropertySource(properties));
    return binder.bindOrCreate("imgpress.intake", IntakeProperties.class);
  }

  @Test
  void unsetPropertiesFallBackToTheDefaults() {
    assertThat(bind(Map.of())).isEqualTo(IntakeProperties.defaults());
    assertThat(IntakeProperties.defaults())
        .isEqualTo(
            new IntakeProperties(
                DataSize.ofMegabytes(10),
                10_000,
                50,
                50_000,
                4096,
                2000,
                100,
                8,
                Duration.ofSeconds(2),
                Duration.ofMinutes(1)));
  }

  @Test
  void bindsConfiguredValues() {
    IntakeProperties props =
        bind(
            Map.of(
                "imgpress.intake.max-file-size", "2MB",
                "imgpress.intake.max-rows", "5",
                "imgpress.intake.max-images", "20",
                "imgpress.intake.max-url-length", "1000",
                "imgpress.intake.max-product-name-length", "200",
                "imgpress.intake.max-attempts", "3",
                "imgpress.intake.initial-backoff", "100ms",
                "imgpress.intake.max-backoff", "5s"));

    assertThat(props)
        .isEqualTo(
            new IntakeProperties(
                DataSize.ofMegabytes(2),
                5,
                50,
                20,
                1000,
                200,
                100,
                3,
                Duration.ofMillis(100),
                Duration.ofSeconds(5)));
  }

  @Test
  void defaultsAreValid() {
    assertThat(validate(IntakeProperties.defaults())).isEmpty();
  }

  @Test
  void rejectsNonPositiveLimits() {
    var props =
        new IntakeProperties(
            DataSize.ofBytes(0), 0, -1, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO);

    assertThat(validate(props))
        .extracting(v -> v.getPropertyPath().toString())
        .containsExactlyInAnyOrder(
            "maxFileSizePositive",
            "maxRows",
            "maxUrlsPerRow",
            "maxImages",
            "maxUrlLength",
            "maxProductNameLength",
            "maxErrors",
            "maxAttempts",
            "backoffValid");
  }

  @Test
  void refusesLengthsTheDatabaseColumnsCannotHold() {
    IntakeProperties d = IntakeProperties.defaults();
    var props =
        new IntakeProperties(
            d.maxFileSize(),
            d.maxRows(),
            d.maxUrlsPerRow(),
            d.maxImages(),
            4097,
            2001,
            d.maxErrors(),
            d.maxAttempts(),
            d.initialBackoff(),
            d.maxBackoff());

    assertThat(validate(props))
        .extracting(v -> v.getPropertyPath().toString())
        .containsExactlyInAnyOrder("maxUrlLength", "maxProductNameLength");
  }

  @Test
  void refusesAMaxBackoffShorterThanTheInitialOne() {
    IntakeProperties d = IntakeProperties.defaults();
    var props =
        new IntakeProperties(
            d.maxFileSize(),
            d.maxRows(),
            d.maxUrlsPerRow(),
            d.maxImages(),
            d.maxUrlLength(),
            d.maxProductNameLength(),
            d.maxErrors(),
            d.maxAttempts(),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5));

    assertThat(validate(props))
        .extracting(v -> v.getPropertyPath().toString())
        .containsExactly("backoffValid");
  }

  private static Set<ConstraintViolation<IntakeProperties>> validate(IntakeProperties props) {
    try (var factory = Validation.buildDefaultValidatorFactory()) {
      Validator validator = factory.getValidator();
      return validator.validate(props);
    }
  }
}
