package io.imgpress.processing;

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

/** The frame and decode-time limits of {@code imgpress.image.*}, as Spring binds them. */
class ImageLimitsTest {

  private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

  @AfterAll
  static void closeValidation() {
    VALIDATION.close();
  }

  private static ImageProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("imgpress.image", ImageProperties.class);
  }

  private static Set<String> violations(ImageProperties properties) {
    return VALIDATION.getValidator().validate(properties).stream()
        .map(ConstraintViolation::getMessage)
        .collect(Collectors.toSet());
  }

  @Test
  void defaults() {
    ImageProperties defaults = bind(Map.of());
    assertThat(defaults)
        .isEqualTo(new ImageProperties(50_000_000, 50, 1000, Duration.ofSeconds(30), 320));
    assertThat(defaults).isEqualTo(new ImageProperties(50_000_000, 50));
    assertThat(violations(defaults)).isEmpty();
  }

  @Test
  void theDecodeTimeoutIsPositiveAndAtMostFiveMinutes() {
    assertThat(violations(bind(Map.of("imgpress.image.decode-timeout", "0s"))))
        .containsExactly("decode-timeout must be more than 0 and at most 5m");
    assertThat(violations(bind(Map.of("imgpress.image.decode-timeout", "6m"))))
        .containsExactly("decode-timeout must be more than 0 and at most 5m");
    assertThat(violations(bind(Map.of("imgpress.image.decode-timeout", "250ms")))).isEmpty();
  }

  @Test
  void atLeastOneFrame() {
    assertThat(violations(bind(Map.of("imgpress.image.max-frames", "0")))).hasSize(1);
    assertThat(bind(Map.of("imgpress.image.max-frames", "1")).maxFrames()).isOne();
  }
}
