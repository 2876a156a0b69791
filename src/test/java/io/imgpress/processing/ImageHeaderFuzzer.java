package io.imgpress.processing;

import io.imgpress.processing.imageio.ImageIoCodec;

/**
 * Fuzz target (see fuzz/run.sh): what reads a downloaded body before any pixel is decoded. The
 * sniffer and its description for the client, the frame counter, and the portable engine's probe
 * (the header parsers of ImageIO and TwelveMonkeys, EXIF orientation) with the pixel guard. The
 * only way out is an {@link ImageFailureException} (the image fails with a reason); anything else
 * thrown is a finding, as it would fail the image as an internal error.
 */
public final class ImageHeaderFuzzer {

  private static final Codec CODEC = new ImageIoCodec();
  private static final PixelGuard GUARD = new PixelGuard(50_000_000);
  private static final FrameGuard FRAMES = new FrameGuard(1000);

  private ImageHeaderFuzzer() {}

  public static void fuzzerTestOneInput(byte[] data) {
    String description = FormatSniffer.describe(data);
    if (description.isEmpty() || description.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalStateException("unsafe description: " + description);
    }
    try {
      ImageFormat format = new SniffStep().sniff(data);
      FRAMES.check(data, format);
      GUARD.check(CODEC.probe(data, format));
    } catch (ImageFailureException refused) {
      // the image fails with a reason
    }
  }
}
