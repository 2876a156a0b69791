package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ImagePropertiesTest {

  private static final Validator validator =
      Validation.buildDefaultValidatorFactory().getValidator();

  private static ImageProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("imgpress.image", ImageProperties.class);
  }

  private static Set<String> invalid(String previewSize) {
    return validator.validate(bind(Map.of("imgpress.image.preview-size", previewSize))).stream()
        .map(ConstraintViolation::getPropertyPath)
        .map(Object::toString)
        .collect(Collectors.toSet());
  }

  @Test
  void previewsFit320PixelsByDefault() {
    assertThat(bind(Map.of()))
        .isEqualTo(new ImageProperties(50_000_000, 50, 1000, Duration.ofSeconds(30), 320));
    assertThat(validator.validate(bind(Map.of()))).isEmpty();
  }

  @Test
  void zeroTurnsPreviewsOffAndTheSizeIsBounded() {
    assertThat(bind(Map.of("imgpress.image.preview-size", "0")).previewSize()).isZero();
    assertThat(invalid("0")).isEmpty();
    assertThat(invalid("2048")).isEmpty();
    assertThat(invalid("-1")).containsExactly("previewSize");
    assertThat(invalid("2049")).containsExactly("previewSize");
  }

  @Test
  void autoQualityAimsAtTheCalibratedSsimAndTakesOnlyATargetBetweenZeroAndOne() {
    assertThat(bind(Map.of()).autoQualityTarget()).isEqualTo(AutoQuality.DEFAULT_TARGET);
    assertThat(AutoQuality.DEFAULT_TARGET).isBetween(0.9, 0.99);
    assertThat(bind(Map.of("imgpress.image.auto-quality-target", "0.95")).autoQualityTarget())
        .isEqualTo(0.95);
    for (String bad : new String[] {"0", "1", "-0.1", "1.5"}) {
      assertThat(
              validator.validate(bind(Map.of("imgpress.image.auto-quality-target", bad))).stream()
                  .map(ConstraintViolation::getPropertyPath)
                  .map(Object::toString))
          .as(bad)
          .containsExactly("autoQualityTargetValid");
    }
  }
}
