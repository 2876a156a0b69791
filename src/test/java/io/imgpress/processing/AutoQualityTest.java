package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.Codec.Size;
import io.imgpress.request.OutputFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AutoQualityTest {

  private static final RgbPixels REFERENCE = noise(0);

  /** Fixed texture plus a fixed error pattern scaled by {@code amplitude}: SSIM falls with it. */
  private static RgbPixels noise(double amplitude) {
    Random base = new Random(99);
    Random pattern = new Random(7);
    byte[] rgb = new byte[32 * 32 * 3];
    for (int i = 0; i < rgb.length; i++) {
      int v = 60 + base.nextInt(120);
      rgb[i] = (byte) (v + Math.round(amplitude * (pattern.nextDouble() * 2 - 1)));
    }
    return new RgbPixels(32, 32, rgb);
  }

  /** A fake encoder whose error shrinks as quality grows, as real encoders' does. */
  private static RgbPixels fakeEncode(int quality, List<Integer> tried) {
    tried.add(quality);
    return noise((100 - quality) / 2.0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 0.8, 0.9, 0.97})
  void findsTheLowestQualityReachingTheTargetInAtMostSevenTrials(double target) {
    List<Integer> tried = new ArrayList<>();
    int chosen =
        new AutoQuality(target).choose(REFERENCE, q -> fakeEncode(q, tried), Deadline.none());

    assertThat(chosen).isBetween(AutoQuality.MIN_QUALITY, AutoQuality.MAX_QUALITY);
    assertThat(tried).hasSizeLessThanOrEqualTo(7);
    // What a scan of every quality finds:
    int lowest = AutoQuality.MAX_QUALITY;
    for (int q = AutoQuality.MIN_QUALITY; q <= AutoQuality.MAX_QUALITY; q++) {
      if (Ssim.of(REFERENCE, fakeEncode(q, new ArrayList<>())) >= target) {
        lowest = q;
        break;
      }
    }
    assertThat(chosen).isEqualTo(lowest);
  }

  @Test
  void staysWithinItsRange() {
    List<Integer> tried = new ArrayList<>();
    // Everything passes: the lowest quality of the range.
    assertThat(new AutoQuality(0.01).choose(REFERENCE, q -> REFERENCE, Deadline.none()))
        .isEqualTo(AutoQuality.MIN_QUALITY);
    // Nothing passes: the highest.
    assertThat(
            new AutoQuality(0.999999).choose(REFERENCE, q -> fakeEncode(q, tried), Deadline.none()))
        .isEqualTo(AutoQuality.MAX_QUALITY);
  }

  @Test
  void stopsAtTheDeadline() {
    Deadline deadline = Deadline.after(Duration.ofMillis(1));
    assertThatThrownBy(
            () ->
                new AutoQuality(0.9)
                    .choose(
                        REFERENCE,
                        q -> {
                          Thread.sleep(5);
                          return REFERENCE;
                        },
                        deadline))
        .isInstanceOfSatisfying(
            ImageFailureException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.DECODE_TIMEOUT));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 1, -0.5, 1.5, Double.NaN})
  void refusesTargetsThatAreNoSsimBetweenZeroAndOne(double target) {
    assertThatThrownBy(() -> new AutoQuality(target)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSmallImageIsItsOwnProxy() {
    long jpeg = AutoQuality.proxyPixels(OutputFormat.JPEG);
    assertThat(jpeg).isEqualTo(1_000_000);
    assertThat(AutoQuality.proxyPixels(OutputFormat.AVIF)).isLessThan(jpeg);
    assertThat(AutoQuality.tiles(new Size(1000, 1000), jpeg))
        .containsExactly(new AutoQuality.Tile(0, 0, 1000, 1000));
    RgbPixels whole = noise(0);
    assertThat(AutoQuality.proxy(List.of(whole))).isSameAs(whole);
  }

  @Test
  void aLargeImageGivesNineFullResolutionTilesSpreadOverIt() {
    List<AutoQuality.Tile> tiles = AutoQuality.tiles(new Size(6000, 4000), 1_000_000);

    assertThat(tiles).hasSize(9);
    // 333 pixels a side fit 9 tiles in 1 MP; rounded down to whole 16-pixel blocks.
    assertThat(tiles).allSatisfy(t -> assertThat(t.width()).isEqualTo(320).isEqualTo(t.height()));
    assertThat(tiles.getFirst()).isEqualTo(new AutoQuality.Tile(840, 506, 320, 320));
    assertThat(tiles.get(4)).isEqualTo(new AutoQuality.Tile(2840, 1840, 320, 320));
    assertThat(tiles.getLast()).isEqualTo(new AutoQuality.Tile(4840, 3173, 320, 320));
  }

  @Test
  void aLongThinImageGetsThinTilesInsideIt() {
    List<AutoQuality.Tile> tiles = AutoQuality.tiles(new Size(100_000, 20), 250_000);
    assertThat(tiles).hasSize(9);
    assertThat(tiles)
        .allSatisfy(
            t -> {
              assertThat(t.height()).isEqualTo(6);
              assertThat(t.y() + t.height()).isLessThanOrEqualTo(20);
              assertThat(t.x() + t.width()).isLessThanOrEqualTo(100_000);
            });
  }

  @Test
  void putsTheTilesSideBySideThreeToARow() {
    List<RgbPixels> tiles = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      byte[] rgb = new byte[2 * 2 * 3];
      java.util.Arrays.fill(rgb, (byte) i);
      tiles.add(new RgbPixels(2, 2, rgb));
    }
    RgbPixels proxy = AutoQuality.proxy(tiles);
    assertThat(proxy.width()).isEqualTo(6);
    assertThat(proxy.height()).isEqualTo(6);
    // Row 1 (second row of the first tile row): tiles 0, 0, 1, 1, 2, 2; row 4: tiles 6 to 8.
    assertThat(proxy.rgb()[(1 * 6 + 2) * 3]).isEqualTo((byte) 1);
    assertThat(proxy.rgb()[(4 * 6 + 5) * 3 + 2]).isEqualTo((byte) 8);
    assertThatThrownBy(() -> AutoQuality.proxy(tiles.subList(0, 4)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultTargetIsTheConfiguredDefault() {
    assertThat(Double.parseDouble(AutoQuality.DEFAULT_TARGET_TEXT))
        .isEqualTo(AutoQuality.DEFAULT_TARGET);
  }
}
