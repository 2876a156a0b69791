package io.imgpress.processing;

import io.imgpress.processing.Codec.Size;
import io.imgpress.request.OutputFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the quality of {@code quality=auto}: the lowest quality in {@value #MIN_QUALITY}–{@value
 * #MAX_QUALITY} whose decoded output reaches the target {@link Ssim} against the image it was
 * encoded from, by binary search (at most 7 trial encodes; {@value #MAX_QUALITY} when none reaches
 * it). It assumes SSIM grows with quality, which holds for the JPEG, WebP and AVIF encoders up to
 * small wobbles; a wobble costs at most a quality step or two.
 *
 * <p>Trials run on a proxy when the output has more than {@link #proxyPixels} pixels: nine tiles
 * cut from the prepared image (upright, sRGB, scaled to the output box) at full resolution, spread
 * over a 3×3 grid and put side by side. Then the output is encoded once, whole, at the quality
 * chosen. That bounds the search's cost whatever the image's size (an AVIF encode of 1 MP takes
 * seconds), and unlike a downscaled copy the tiles keep the output's own detail per pixel: on the
 * benchmark photos a downscaled proxy missed the full-size SSIM both ways (grain averaged away: too
 * low a quality; texture packed denser: far too high a one).
 */
public final class AutoQuality {

  /**
   * A floor no output falls below (up to the proxy's error): on the benchmark corpus's 19 photos a
   * quality-50 JPEG falls below 0.95 on four (down to 0.924, textured photos). The median
   * quality-50 SSIM (0.975) as a target would cost 80 % more bytes than quality 50, since SSIM asks
   * far higher qualities of fine texture than of smooth areas. README gives what this default costs
   * and saves ({@code bench/quality.sh}, and {@code QualityBench sweep} for the curves).
   */
  public static final double DEFAULT_TARGET = 0.95;

  /** The same, as the configuration default is written. */
  public static final String DEFAULT_TARGET_TEXT = "0.95";

  /**
   * The floor of the search. SSIM forgives the blocking of very low qualities in smooth areas that
   * butteraugli and eyes do not: on the corpus, photos SSIM let down to quality 20 scored 7–9 in
   * butteraugli against 3–4 at quality 50. 40 (jpeg-recompress's default floor too) keeps that loss
   * to about one butteraugli point.
   */
  public static final int MIN_QUALITY = 40;

  public static final int MAX_QUALITY = 95;

  /** One trial: the prepared image encoded at {@code quality} and decoded again. */
  @FunctionalInterface
  public interface Trial<E extends Exception> {
    RgbPixels encodeAndDecode(int quality) throws E;
  }

  private final double target;

  /**
   * @param target the SSIM an output must reach, more than 0 and less than 1
   */
  public AutoQuality(double target) {
    if (!(target > 0 && target < 1)) {
      throw new IllegalArgumentException(
          "the auto-quality target must be an SSIM above 0 and below 1, was " + target);
    }
    this.target = target;
  }

  public double target() {
    return target;
  }

  /**
   * The lowest quality whose trial reaches the target against {@code reference}; checks the
   * deadline before each trial.
   */
  public <E extends Exception> int choose(RgbPixels reference, Trial<E> trial, Deadline deadline)
      throws E {
    int low = MIN_QUALITY;
    int high = MAX_QUALITY;
    while (low < high) {
      deadline.check();
      int mid = (low + high) >>> 1;
      if (Ssim.of(reference, trial.encodeAndDecode(mid)) >= target) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /**
   * The most pixels a proxy may have for {@code format}: AVIF encodes about ten times slower than
   * JPEG and WebP, so its trials run on a smaller proxy.
   */
  public static long proxyPixels(OutputFormat format) {
    return format == OutputFormat.AVIF ? 250_000 : 1_000_000;
  }

  /** Where a tile of a proxy is cut from the prepared image. */
  public record Tile(int x, int y, int width, int height) {}

  /** Tiles per side of a proxy's grid. */
  static final int GRID = 3;

  /**
   * The tiles of the proxy of an image of {@code size}: the whole image when it has at most {@code
   * maxPixels}, else {@value #GRID}×{@value #GRID} tiles of together at most {@code maxPixels},
   * each centred in its cell of an even grid over the image, row by row.
   */
  public static List<Tile> tiles(Size size, long maxPixels) {
    int w = size.width();
    int h = size.height();
    if ((long) w * h <= maxPixels) {
      return List.of(new Tile(0, 0, w, h));
    }
    // Square tiles where the image allows, a multiple of 16 (JPEG's and WebP's block) above 16.
    int side = (int) Math.sqrt((double) maxPixels / (GRID * GRID));
    side = side > 16 ? side / 16 * 16 : side;
    int tw = Math.max(1, Math.min(side, w / GRID));
    int th = Math.max(1, Math.min(side, h / GRID));
    List<Tile> tiles = new ArrayList<>(GRID * GRID);
    for (int row = 0; row < GRID; row++) {
      for (int column = 0; column < GRID; column++) {
        int x = (int) Math.clamp(w * (2L * column + 1) / (2 * GRID) - tw / 2, 0, w - tw);
        int y = (int) Math.clamp(h * (2L * row + 1) / (2 * GRID) - th / 2, 0, h - th);
        tiles.add(new Tile(x, y, tw, th));
      }
    }
    return tiles;
  }

  /**
   * The proxy made of the pixels of {@link #tiles} in their order: the one tile itself, or the
   * grid's tiles side by side, {@value #GRID} to a row.
   */
  public static RgbPixels proxy(List<RgbPixels> tiles) {
    if (tiles.size() == 1) {
      return tiles.getFirst();
    }
    if (tiles.size() != GRID * GRID) {
      throw new IllegalArgumentException("expected 1 or " + GRID * GRID + " tiles");
    }
    int tw = tiles.getFirst().width();
    int th = tiles.getFirst().height();
    int width = tw * GRID;
    byte[] rgb = new byte[width * th * GRID * 3];
    for (int i = 0; i < tiles.size(); i++) {
      RgbPixels tile = tiles.get(i);
      if (tile.width() != tw || tile.height() != th) {
        throw new IllegalArgumentException("tiles differ in size");
      }
      int left = i % GRID * tw;
      int top = i / GRID * th;
      for (int y = 0; y < th; y++) {
        System.arraycopy(tile.rgb(), y * tw * 3, rgb, ((top + y) * width + left) * 3, tw * 3);
      }
    }
    return new RgbPixels(width, th * GRID, rgb);
  }
}
