package io.imgpress.processing;

import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns source image bytes into a compressed sRGB JPEG of the same pixel dimensions.
 *
 * <p>Contract: {@link #probe} reads only the header, so callers can refuse pixel bombs before any
 * decoding; {@link #compress} decodes (first frame of animations, first page of a TIFF, primary
 * image of a HEIF/AVIF), applies the orientation (EXIF; HEIF's own transformations), converts to
 * sRGB (CMYK, YCCK and ICC-tagged input included), flattens transparency on white and encodes a
 * baseline JPEG at the given quality (1–100) with no orientation tag. Corrupt or unsupported input
 * (truncated files included) fails with a permanent {@link ImageFailureException}; running out of
 * memory while decoding fails with a retryable one. A quality outside 1–100 is a programming error:
 * {@link IllegalArgumentException}. A format not in {@link #decodes()} fails with a permanent
 * {@link ImageFailureException} of reason {@link FailureReason#UNSUPPORTED_FORMAT} whose message is
 * {@link #whyNotDecoded}.
 *
 * <p>With a preview size above 0, {@link #compress(byte[], ImageFormat, int, int)} also makes a
 * small "before" preview from the same decoded pixels (upright, sRGB, flattened on white), before
 * any quality compression: scaled to fit a square of that many pixels (never enlarged, aspect kept,
 * each side at least 1) and encoded as a JPEG of {@link #PREVIEW_QUALITY}. It shows what the source
 * looked like without a browser ever loading the source's URL.
 */
public interface Codec {

  /** The input formats this engine decodes; the fetcher asks sources for these. */
  default Set<ImageFormat> decodes() {
    return EnumSet.allOf(ImageFormat.class);
  }

  /**
   * Why this engine does not decode {@code format}, one not in {@link #decodes()}: a short text,
   * safe to show to a client, that says what would read it. The pipeline and the engine itself fail
   * such an image with it, as a permanent failure of reason {@link
   * FailureReason#UNSUPPORTED_FORMAT}.
   */
  default String whyNotDecoded(ImageFormat format) {
    return format + " images are not read by this service";
  }

  /** The output formats this engine writes; uploads asking for another are refused. */
  default Set<OutputFormat> encodes() {
    return EnumSet.of(OutputFormat.JPEG);
  }

  /** Format and displayed dimensions (after orientation) read from the header alone. */
  ImageInfo probe(byte[] source, ImageFormat format);

  /** The JPEG quality of previews: small files that still show what the source looked like. */
  int PREVIEW_QUALITY = 70;

  EncodedImage compress(byte[] source, ImageFormat format, int quality);

  /**
   * {@link #compress(byte[], ImageFormat, int)} within a deadline, without a preview (see {@link
   * #compress(byte[], ImageFormat, int, int, Deadline)}).
   */
  default EncodedImage compress(byte[] source, ImageFormat format, int quality, Deadline deadline) {
    return compress(source, format, quality, 0, deadline);
  }

  /**
   * {@link #compress(byte[], ImageFormat, int)} with a preview and no deadline (see {@link
   * #compress(byte[], ImageFormat, int, int, Deadline)}).
   */
  default EncodedImage compress(byte[] source, ImageFormat format, int quality, int previewSize) {
    return compress(source, format, quality, previewSize, Deadline.none());
  }

  /**
   * {@link #compress(byte[], ImageFormat, int)} plus a preview fitting {@code previewSize} × {@code
   * previewSize} pixels (0 makes none), within a deadline: once it {@linkplain Deadline#expired()
   * expires} the engine stops as soon as it can and fails with {@link Deadline#failure()}
   * (permanent, {@link FailureReason#DECODE_TIMEOUT}). This default makes no preview and runs to
   * the end, for test doubles; the caller then fails a late image all the same. Both real engines
   * override it.
   */
  default EncodedImage compress(
      byte[] source, ImageFormat format, int quality, int previewSize, Deadline deadline) {
    return compress(source, format, quality);
  }

  /**
   * The general form of {@link #compress(byte[], ImageFormat, int, int, Deadline)}: the output in
   * {@code output}'s format (one of {@link #encodes()}), scaled down to fit its bounding box (never
   * up, aspect kept), at its quality, or with {@linkplain Output#autoQuality() automatic quality}
   * at the lowest quality whose output stays within the perceptual target of the (scaled) source;
   * {@link EncodedImage#quality()} tells the quality used. The preview is made from the source at
   * full size, as before. A format this engine does not write fails with a permanent {@link
   * ImageFailureException}.
   *
   * <p>This default serves test doubles: a fixed-quality JPEG at full size goes to {@link
   * #compress(byte[], ImageFormat, int, int, Deadline)}; anything else fails. Both real engines
   * override it.
   */
  default EncodedImage encode(
      byte[] source, ImageFormat format, Output output, int previewSize, Deadline deadline) {
    if (output.format() != OutputFormat.JPEG || output.autoQuality() || output.bounded()) {
      throw ImageFailureException.permanent("this engine cannot write " + output);
    }
    EncodedImage encoded = compress(source, format, output.quality(), previewSize, deadline);
    return encoded.quality() == output.quality()
        ? encoded
        : new EncodedImage(
            encoded.bytes(),
            encoded.width(),
            encoded.height(),
            encoded.preview(),
            OutputFormat.JPEG,
            output.quality());
  }

  record ImageInfo(ImageFormat format, int width, int height) {
    public long pixels() {
      return (long) width * height;
    }
  }

  /** Pixel dimensions. */
  record Size(int width, int height) {

    /**
     * This size scaled down to fit a {@code box} × {@code box} square, never up, the aspect kept as
     * well as whole pixels allow (each side at least 1).
     */
    public Size fitIn(int box) {
      if (box < 1) {
        throw new IllegalArgumentException("box must be at least 1, was " + box);
      }
      if (width <= box && height <= box) {
        return this;
      }
      double scale = (double) box / Math.max(width, height);
      return new Size(
          (int) Math.clamp(Math.round(width * scale), 1, box),
          (int) Math.clamp(Math.round(height * scale), 1, box));
    }

    /**
     * This size scaled down to fit {@code maxWidth} × {@code maxHeight} (either 0 for no limit),
     * never up, the aspect kept as well as whole pixels allow (each side at least 1).
     */
    public Size fitWithin(int maxWidth, int maxHeight) {
      if (maxWidth < 0 || maxHeight < 0) {
        throw new IllegalArgumentException(
            "limits must be 0 (none) or more, were " + maxWidth + ", " + maxHeight);
      }
      double scale = 1;
      if (maxWidth > 0 && width > maxWidth) {
        scale = (double) maxWidth / width;
      }
      if (maxHeight > 0 && height > maxHeight) {
        scale = Math.min(scale, (double) maxHeight / height);
      }
      if (scale == 1) {
        return this;
      }
      int w = maxWidth > 0 ? maxWidth : Integer.MAX_VALUE;
      int h = maxHeight > 0 ? maxHeight : Integer.MAX_VALUE;
      return new Size(
          (int) Math.clamp(Math.round(width * scale), 1, w),
          (int) Math.clamp(Math.round(height * scale), 1, h));
    }
  }

  /**
   * @param bytes the encoded output
   * @param width the output's width, after orientation and any scaling
   * @param preview the preview JPEG; null when none was asked for
   * @param format the format of {@code bytes}
   * @param quality the quality {@code bytes} was encoded at (the one chosen, for automatic quality)
   */
  record EncodedImage(
      byte[] bytes, int width, int height, byte[] preview, OutputFormat format, int quality) {

    /** A JPEG whose quality the caller knows (test doubles). */
    public EncodedImage(byte[] jpeg, int width, int height, byte[] preview) {
      this(jpeg, width, height, preview, OutputFormat.JPEG, 0);
    }

    public EncodedImage(byte[] jpeg, int width, int height) {
      this(jpeg, width, height, null);
    }
  }
}
