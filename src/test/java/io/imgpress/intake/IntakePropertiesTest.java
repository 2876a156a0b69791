package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
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
        .isEqualTo(new IntakeProperties(DataSize.ofMegabytes(10), 10_000, 50, 100));
  }

  @Test
  void bindsConfiguredValues() {
    IntakeProperties props =
        bind(
            Map.of(
                "imgpress.intake.max-file-size", "2MB",
                "imgpress.intake.max-rows", "5"));

    assertThat(props).isEqualTo(new IntakeProperties(DataSize.ofMegabytes(2), 5, 50, 100));
  }

  @Test
  void defaultsAreValid() {
    assertThat(validate(IntakeProperties.defaults())).isEmpty();
  }

  @Test
  void rejectsNonPositiveLimits() {
    var props = new IntakeProperties(DataSize.ofBytes(0), 0, -1, 0);

    assertThat(validate(props))
        .extracting(v -> v.getPropertyPath().toString())
        .containsExactlyInAnyOrder("maxFileSizePositive", "maxRows", "maxUrlsPerRow", "maxErrors");
  }

  private static Set<ConstraintViolation<IntakeProperties>> validate(IntakeProperties props) {
    try (var factory = Validation.buildDefaultValidatorFactory()) {
      Validator validator = factory.getValidator();
      return validator.validate(props);
    }
  }
}
