package io.imgpress.processing;

import java.util.EnumSet;
import java.util.Set;

/**
 * Turns source image bytes into a compressed sRGB JPEG of the same pixel dimensions.
 *
 * <p>Contract: {@link #probe} reads only the header, so callers can refuse pixel bombs before any
 * decoding; {@link #compress} decodes (first frame of animations), applies the EXIF orientation,
 * converts to sRGB (CMYK, YCCK and ICC-tagged input included), flattens transparency on white and
 * encodes a baseline JPEG at the given quality (1–100) with no orientation tag. Corrupt or
 * unsupported input (truncated files included) fails with a permanent {@link
 * ImageFailureException}; running out of memory while decoding fails with a retryable one. A
 * quality outside 1–100 is a programming error: {@link IllegalArgumentException}.
 */
public interface Codec {

  /** The input formats this engine decodes; the fetcher asks sources for these. */
  default Set<ImageFormat> decodes() {
    return EnumSet.allOf(ImageFormat.class);
  }

  /** Format and displayed dimensions (after orientation) read from the header alone. */
  ImageInfo probe(byte[] source, ImageFormat format);

  EncodedImage compress(byte[] source, ImageFormat format, int quality);

  /**
   * {@link #compress(byte[], ImageFormat, int)} within a deadline: once it {@linkplain
   * Deadline#expired() expires} the engine stops as soon as it can and fails with {@link
   * Deadline#failure()} (permanent, {@link FailureReason#DECODE_TIMEOUT}). Engines that cannot stop
   * leave this default, which runs to the end; the caller then fails the image all the same.
   */
  default EncodedImage compress(byte[] source, ImageFormat format, int quality, Deadline deadline) {
    return compress(source, format, quality);
  }

  record ImageInfo(ImageFormat format, int width, int height) {
    public long pixels() {
      return (long) width * height;
    }
  }

  record EncodedImage(byte[] jpeg, int width, int height) {}
}
