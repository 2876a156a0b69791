package io.imgpress.request;

import java.util.Objects;

/**
 * How a request's images are written: format, quality and an optional bounding box.
 *
 * @param format the output format
 * @param quality 1–100, or {@link #AUTO_QUALITY} for the lowest quality whose output stays within
 *     the perceptual target of the source (the quality chosen is recorded per image)
 * @param maxWidth the widest an output may be, 0 for no limit; larger images are scaled down with
 *     the aspect kept, smaller ones are never scaled up
 * @param maxHeight the tallest an output may be, 0 for no limit
 */
public record Output(OutputFormat format, int quality, int maxWidth, int maxHeight) {

  /** The quality value meaning "choose per image". */
  public static final int AUTO_QUALITY = 0;

  public Output {
    Objects.requireNonNull(format, "format");
    if (quality != AUTO_QUALITY && (quality < 1 || quality > 100)) {
      throw new IllegalArgumentException("quality must be 1..100 or AUTO_QUALITY, was " + quality);
    }
    if (maxWidth < 0 || maxHeight < 0) {
      throw new IllegalArgumentException(
          "maxWidth and maxHeight must be 0 (none) or more, were " + maxWidth + ", " + maxHeight);
    }
  }

  /** Today's default shape: a JPEG of the given quality, at the source's size. */
  public static Output jpeg(int quality) {
    return new Output(OutputFormat.JPEG, quality, 0, 0);
  }

  public boolean autoQuality() {
    return quality == AUTO_QUALITY;
  }

  /** True when a width or height limit is set. */
  public boolean bounded() {
    return maxWidth > 0 || maxHeight > 0;
  }
}
