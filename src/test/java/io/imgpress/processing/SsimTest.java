package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SsimTest {

  /** A smooth gradient with some texture, like a photo's surface. */
  private static RgbPixels photo(int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    Random random = new Random(1);
    for (int y = 0, p = 0; y < h; y++) {
      for (int x = 0; x < w; x++, p += 3) {
        int v = 40 + x * 100 / w + y * 30 / h + random.nextInt(64);
        rgb[p] = (byte) v;
        rgb[p + 1] = (byte) (255 - v);
        rgb[p + 2] = (byte) (v / 2);
      }
    }
    return new RgbPixels(w, h, rgb);
  }

  private static RgbPixels map(RgbPixels image, java.util.function.IntUnaryOperator f) {
    byte[] rgb = image.rgb().clone();
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) Math.clamp(f.applyAsInt(rgb[i] & 0xFF), 0, 255);
    }
    return new RgbPixels(image.width(), image.height(), rgb);
  }

  private static RgbPixels noisy(RgbPixels image, int amplitude, long seed) {
    Random random = new Random(seed);
    return map(image, v -> v + random.nextInt(2 * amplitude + 1) - amplitude);
  }

  /** Each 4×4 block replaced by its mean: what heavy compression does to detail. */
  private static RgbPixels blocky(RgbPixels image) {
    int w = image.width();
    byte[] in = image.rgb();
    byte[] out = in.clone();
    for (int by = 0; by + 4 <= image.height(); by += 4) {
      for (int bx = 0; bx + 4 <= w; bx += 4) {
        for (int c = 0; c < 3; c++) {
          int sum = 0;
          for (int y = by; y < by + 4; y++) {
            for (int x = bx; x < bx + 4; x++) {
              sum += in[(y * w + x) * 3 + c] & 0xFF;
            }
          }
          for (int y = by; y < by + 4; y++) {
            for (int x = bx; x < bx + 4; x++) {
              out[(y * w + x) * 3 + c] = (byte) (sum / 16);
            }
          }
        }
      }
    }
    return new RgbPixels(w, image.height(), out);
  }

  @Test
  void identicalImagesScoreOne() {
    RgbPixels image = photo(64, 48);
    assertThat(Ssim.of(image, image)).isCloseTo(1.0, within(1e-12));
    assertThat(Ssim.of(image, new RgbPixels(64, 48, image.rgb().clone())))
        .isCloseTo(1.0, within(1e-12));
  }

  @Test
  void moreNoiseScoresLower() {
    RgbPixels image = photo(96, 64);
    double light = Ssim.of(image, noisy(image, 4, 2));
    double heavy = Ssim.of(image, noisy(image, 30, 2));
    assertThat(light).isLessThan(1).isGreaterThan(heavy);
    assertThat(heavy).isGreaterThan(0).isLessThan(0.8);
  }

  @Test
  void lostDetailScoresLowerAndABrightnessShiftLittle() {
    RgbPixels image = photo(96, 64);
    double blurred = Ssim.of(image, blocky(image));
    double brighter = Ssim.of(image, map(image, v -> v + 5));
    assertThat(blurred).isLessThan(0.95);
    // SSIM is about structure: a slight uniform shift barely counts.
    assertThat(brighter).isGreaterThan(0.99).isLessThan(1);
  }

  @Test
  void isSymmetric() {
    RgbPixels image = photo(80, 40);
    RgbPixels other = noisy(blocky(image), 10, 3);
    assertThat(Ssim.of(image, other)).isCloseTo(Ssim.of(other, image), within(1e-12));
  }

  @Test
  void aTinyImageIsOneWindowAndOtherSizesAreRefused() {
    RgbPixels tiny = photo(5, 3);
    assertThat(Ssim.of(tiny, tiny)).isCloseTo(1.0, within(1e-12));
    assertThat(Ssim.of(tiny, noisy(tiny, 40, 4))).isLessThan(1);
    assertThatThrownBy(() -> Ssim.of(tiny, photo(3, 5)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void comparesLumaOnly() {
    // Swapping red and blue at equal luma weight would change colour, not luma: here the two
    // images have the same luma by construction (grey against grey of the same level).
    byte[] grey = new byte[16 * 16 * 3];
    java.util.Arrays.fill(grey, (byte) 100);
    byte[] tinted = grey.clone();
    for (int p = 0; p < tinted.length; p += 3) {
      // +10 red and the luma-neutral change in blue: 0.299 * 10 = 0.114 * 26.2
      tinted[p] = (byte) 110;
      tinted[p + 2] = (byte) (100 - 26);
    }
    assertThat(Ssim.of(new RgbPixels(16, 16, grey), new RgbPixels(16, 16, tinted)))
        .isGreaterThan(0.9999);
  }
}
