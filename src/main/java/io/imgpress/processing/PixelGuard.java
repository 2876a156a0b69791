package io.imgpress.processing;

import io.imgpress.processing.Codec.ImageInfo;

/** Refuses decompression bombs from the header's declared size, before any pixel is decoded. */
final class PixelGuard {

  private final long maxPixels;

  PixelGuard(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  void check(ImageInfo info) {
    if (info.width() <= 0 || info.height() <= 0) {
      throw ImageFailureException.permanent(FailureReason.CORRUPT, "image has no pixels");
    }
    if (info.pixels() > maxPixels) {
      throw ImageFailureException.permanent(
          FailureReason.TOO_LARGE,
          String.format(
              "image too large: %dx%d is %.1f MP, the limit is %.1f MP",
              info.width(), info.height(), info.pixels() / 1e6, maxPixels / 1e6));
    }
  }
}
