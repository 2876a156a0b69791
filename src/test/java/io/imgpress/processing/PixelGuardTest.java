package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.Codec.ImageInfo;
import org.junit.jupiter.api.Test;

class PixelGuardTest {

  PixelGuard guard = new PixelGuard(50_000_000);

  @Test
  void passesImagesUpToTheLimit() {
    assertThatCode(() -> guard.check(new ImageInfo(ImageFormat.JPEG, 10_000, 5_000)))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesBombsPermanentlyWithTheirSize() {
    assertThatThrownBy(() -> guard.check(new ImageInfo(ImageFormat.PNG, 100_000, 100_000)))
        .isInstanceOfSatisfying(
            ImageFailureException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.isRetryable()).isFalse();
              org.assertj.core.api.Assertions.assertThat(e.getMessage())
                  .contains("100000x100000")
                  .contains("too large");
            });
  }

  @Test
  void refusesEmptyImages() {
    assertThatThrownBy(() -> guard.check(new ImageInfo(ImageFormat.GIF, 0, 10)))
        .isInstanceOf(ImageFailureException.class);
  }
}
