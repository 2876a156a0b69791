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
        .isInstanceOf(ImageFailureException.class)
        .hasMessage("image has no pixels");
    assertThatThrownBy(() -> guard.check(new ImageInfo(ImageFormat.GIF, 10, 0)))
        .isInstanceOf(ImageFailureException.class)
        .hasMessage("image has no pixels");
    assertThatCode(() -> guard.check(new ImageInfo(ImageFormat.GIF, 1, 1)))
        .doesNotThrowAnyException();
  }

  @Test
  void statesTheSizeAndTheLimitInMegapixels() {
    assertThatThrownBy(() -> guard.check(new ImageInfo(ImageFormat.JPEG, 8_000, 7_000)))
        .isInstanceOf(ImageFailureException.class)
        .hasMessage("image too large: 8000x7000 is 56.0 MP, the limit is 50.0 MP");
    assertThatCode(() -> guard.check(new ImageInfo(ImageFormat.JPEG, 10_000, 5_000)))
        .as("exactly the limit")
        .doesNotThrowAnyException();
  }
}
