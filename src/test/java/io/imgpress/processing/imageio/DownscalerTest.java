package io.imgpress.processing.imageio;

import static io.imgpress.processing.CodecImages.assertRgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.Codec.Size;
import io.imgpress.processing.CodecImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class DownscalerTest {

  @Test
  void makesTheExactSizeAndKeepsFlatColours() {
    BufferedImage image = CodecImages.filled(1000, 500, BufferedImage.TYPE_INT_RGB, Color.RED);
    CodecImages.fill(image, 500, 0, 500, 500, Color.BLUE);

    BufferedImage out = Downscaler.to(image, new Size(123, 61));

    assertThat(out.getWidth()).isEqualTo(123);
    assertThat(out.getHeight()).isEqualTo(61);
    assertRgb(out, 20, 30, 255, 0, 0, 2);
    assertRgb(out, 100, 30, 0, 0, 255, 2);
  }

  @Test
  void averagesFineDetailInsteadOfAliasingIt() {
    // One-pixel black and white checks: a sampling scaler shows black, white or stripes.
    BufferedImage checks = new BufferedImage(600, 600, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 600; y++) {
      for (int x = 0; x < 600; x++) {
        checks.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0);
      }
    }
    BufferedImage out = Downscaler.to(checks, new Size(170, 170));
    for (int y = 5; y < 165; y += 13) {
      for (int x = 5; x < 165; x += 11) {
        assertRgb(out, x, y, 128, 128, 128, 6);
      }
    }
  }

  @Test
  void halvesOddSizesByAveragingTheEdgeWithItself() {
    BufferedImage image = CodecImages.filled(5, 3, BufferedImage.TYPE_INT_RGB, Color.WHITE);
    CodecImages.fill(image, 0, 0, 2, 2, Color.BLACK);
    BufferedImage half = Downscaler.halve(image);
    assertThat(half.getWidth()).isEqualTo(3);
    assertThat(half.getHeight()).isEqualTo(2);
    assertRgb(half, 0, 0, 0, 0, 0, 0);
    assertRgb(half, 1, 0, 255, 255, 255, 0);
    assertRgb(half, 2, 1, 255, 255, 255, 0);
  }

  @Test
  void returnsTheImageAtItsOwnSizeAndNeverEnlarges() {
    BufferedImage image = CodecImages.photoLike(40, 30);
    assertThat(Downscaler.to(image, new Size(40, 30))).isSameAs(image);
    assertThatThrownBy(() -> Downscaler.to(image, new Size(41, 30)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
