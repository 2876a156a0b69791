package io.imgpress.processing;

/**
 * Refuses animations and multi-page images with more frames than allowed, from the container alone:
 * only the first frame is ever used, but some decoders walk every frame to find it.
 */
final class FrameGuard {

  private final int maxFrames;

  FrameGuard(int maxFrames) {
    this.maxFrames = maxFrames;
  }

  void check(byte[] source, ImageFormat format) {
    long frames = FrameCounter.count(source, format, maxFrames);
    if (frames > maxFrames) {
      throw ImageFailureException.permanent(
          FailureReason.TOO_MANY_FRAMES,
          String.format(
              "too many frames: the %s declares more than %d, the limit is %d",
              format, maxFrames, maxFrames));
    }
  }
}
