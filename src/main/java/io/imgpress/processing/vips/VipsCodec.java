package io.imgpress.processing.vips;

import io.imgpress.processing.Codec;
import io.imgpress.processing.Codec.Size;
import io.imgpress.processing.Deadline;
import io.imgpress.processing.FailureReason;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFormat;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The native engine: libvips through {@code java.lang.foreign}, several times faster than ImageIO
 * and streaming (a JPEG without rotation never sits decoded in memory whole). It reads every format
 * its libvips has a loader for (HEIC, AVIF, TIFF, JPEG XL and JPEG 2000 included). BMP, which
 * libvips could only read through ImageMagick, goes to the portable engine instead, and so do
 * images of at most {@link #SMALL_PIXELS} in a format the portable engine reads: each libvips call
 * hands its work to a worker thread and waits for it, about 1 ms of thread wake-ups on a virtual
 * machine whatever the size, while the portable engine codes a thumbnail in the calling thread in a
 * fraction of that (8×8 JPEGs, one thread: 1.2 ms native, 0.5 ms portable).
 */
public final class VipsCodec implements Codec {

  private final VipsLibrary vips;
  private final boolean optimizeCoding;
  private final Codec portable;
  private final long smallPixels;
  private final Set<ImageFormat> decodes;

  /** Images up to this many pixels (128 × 128) are coded by the portable engine. */
  public static final long SMALL_PIXELS = 128 * 128;

  /**
   * @param optimizeCoding compute optimal Huffman tables (a few % smaller, a little slower)
   * @param portable the engine for BMP input and for images of at most {@link #SMALL_PIXELS} (in a
   *     format it reads)
   * @throws IllegalStateException when libvips is not available (see {@link #isAvailable})
   */
  public VipsCodec(boolean optimizeCoding, Codec portable) {
    this(optimizeCoding, portable, SMALL_PIXELS);
  }

  /**
   * @param portable the engine for BMP input and for images of at most {@code smallPixels}
   * @param smallPixels 0 to code every image but BMP natively (tests of this engine do)
   */
  public VipsCodec(boolean optimizeCoding, Codec portable, long smallPixels) {
    this.vips = VipsLibrary.get();
    this.optimizeCoding = optimizeCoding;
    this.portable = Objects.requireNonNull(portable, "portable");
    this.smallPixels = smallPixels;
    EnumSet<ImageFormat> all = EnumSet.noneOf(ImageFormat.class);
    all.addAll(vips.loaders());
    all.addAll(portable.decodes());
    this.decodes = Collections.unmodifiableSet(all);
  }

  /** What this libvips has loaders for, and what the portable engine reads besides (BMP). */
  @Override
  public Set<ImageFormat> decodes() {
    return decodes;
  }

  @Override
  public String whyNotDecoded(ImageFormat format) {
    return format + " images need libvips with their loader; the native engine here has none";
  }

  public static boolean isAvailable() {
    return VipsLibrary.isAvailable();
  }

  /** Why libvips cannot be used, or null when it can. */
  public static String unavailableReason() {
    return VipsLibrary.unavailableReason();
  }

  /** The libvips version in use, e.g. "8.14.1". */
  public String version() {
    return vips.version();
  }

  @Override
  public ImageInfo probe(byte[] source, ImageFormat format) {
    Objects.requireNonNull(source, "source");
    if (!readsNatively(format)) {
      return portable.probe(source, format);
    }
    try (VipsCall call = new VipsCall(vips)) {
      MemorySegment image = call.load(format, source, VipsLibrary.ACCESS_SEQUENTIAL);
      int width = call.width(image);
      int height = call.height(image);
      if (width <= 0 || height <= 0) {
        throw ImageFailureException.permanent("corrupt or unsupported image");
      }
      return swapsAxes(call.orientation(image))
          ? new ImageInfo(format, height, width)
          : new ImageInfo(format, width, height);
    } catch (VipsException e) {
      throw ImageFailureException.permanent("corrupt or unsupported image", e);
    }
  }

  @Override
  public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
    return compress(source, format, quality, 0, Deadline.none());
  }

  @Override
  public EncodedImage compress(
      byte[] source, ImageFormat format, int quality, int previewSize, Deadline deadline) {
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("quality must be 1..100, was " + quality);
    }
    return encode(source, format, Output.jpeg(quality), previewSize, deadline);
  }

  /**
   * The output streams exactly as without a preview; the preview is made after it, from a second
   * decode of the source (see {@link #preview}). Measured on 800×533 JPEGs, this costs about as
   * much CPU as copying the decoded image to memory to read it twice, without holding it whole, and
   * half of what {@code vips_thumbnail_buffer} costs.
   *
   * <p>Checks the deadline between the steps it runs in Java, but cannot stop libvips inside one:
   * setting {@code vips_image_set_kill} on the images of the call from the watchdog did not stop
   * libvips 8.14's save (the saver sinks an image of its own). Past the deadline the image fails
   * all the same, once the call ends.
   */
  @Override
  public EncodedImage encode(
      byte[] source, ImageFormat format, Output output, int previewSize, Deadline deadline) {
    Objects.requireNonNull(output, "output");
    if (output.format() != OutputFormat.JPEG || output.autoQuality() || output.bounded()) {
      throw ImageFailureException.permanent("not written yet: " + output);
    }
    int quality = output.quality();
    if (previewSize < 0) {
      throw new IllegalArgumentException("preview size must be 0 or more, was " + previewSize);
    }
    Objects.requireNonNull(source, "source");
    if (!readsNatively(format)) {
      return portable.encode(source, format, output, previewSize, deadline);
    }
    try (VipsCall call = new VipsCall(vips)) {
      MemorySegment image = call.load(format, source, VipsLibrary.ACCESS_SEQUENTIAL);
      if ((long) call.width(image) * call.height(image) <= smallPixels
          && portable.decodes().contains(format)) {
        return portable.encode(source, format, output, previewSize, deadline);
      }
      deadline.check();
      if (call.orientation(image) != 1) {
        // Turning needs pixels out of order, which a sequential load cannot serve.
        image = call.autorot(call.load(format, source, VipsLibrary.ACCESS_RANDOM));
      }
      image = VipsSrgb.toSrgb(call, image);
      if (call.hasAlpha(image)) {
        image = call.flattenOnWhite(image);
      }
      byte[] jpeg = call.jpegsave(image, quality, optimizeCoding);
      deadline.check();
      byte[] preview = null;
      if (previewSize > 0) {
        preview =
            preview(
                call, source, format, new Size(call.width(image), call.height(image)), previewSize);
        deadline.check();
      }
      return new EncodedImage(
          jpeg, call.width(image), call.height(image), preview, OutputFormat.JPEG, quality);
    } catch (VipsException e) {
      if (e.isOutOfMemory()) {
        // Usually other images decoding at the same time, so a later attempt may well fit.
        throw ImageFailureException.retryable("not enough memory to process image", e);
      }
      throw ImageFailureException.permanent("corrupt image data: " + e.getMessage(), e);
    }
  }

  /**
   * A second, separate decode of the source: a JPEG decodes at the largest DCT shrink (1/2, 1/4,
   * 1/8) that still covers the preview, so the output's streaming path stays as without previews.
   * Then the same orientation, sRGB and flattening steps as the output, and a linear resize to the
   * exact size.
   *
   * @param upright the output's dimensions, orientation applied
   */
  private static byte[] preview(
      VipsCall call, byte[] source, ImageFormat format, Size upright, int previewSize) {
    Size size = upright.fitIn(previewSize);
    int shrink = 1;
    while (shrink < 8
        && upright.width() / (shrink * 2) >= size.width()
        && upright.height() / (shrink * 2) >= size.height()) {
      shrink *= 2;
    }
    int access = VipsLibrary.ACCESS_SEQUENTIAL;
    MemorySegment small =
        format == ImageFormat.JPEG
            ? call.jpegloadShrunk(access, shrink)
            : call.load(format, source, access);
    if (call.orientation(small) != 1) {
      // A small image: reading it at random costs little.
      small =
          call.autorot(
              format == ImageFormat.JPEG
                  ? call.jpegloadShrunk(VipsLibrary.ACCESS_RANDOM, shrink)
                  : call.load(format, source, VipsLibrary.ACCESS_RANDOM));
    }
    small = VipsSrgb.toSrgb(call, small);
    if (call.hasAlpha(small)) {
      small = call.flattenOnWhite(small);
    }
    if (call.width(small) != size.width() || call.height(small) != size.height()) {
      small = call.resizeLinear(small, size.width(), size.height());
    }
    // Huffman optimisation would be a second pass for a few hundred bytes.
    return call.jpegsave(small, PREVIEW_QUALITY, false);
  }

  /**
   * Whether libvips reads {@code format} here; the others go to the portable engine, which fails
   * those it does not read either with this engine's reason.
   */
  private boolean readsNatively(ImageFormat format) {
    if (vips.loaders().contains(Objects.requireNonNull(format, "format"))) {
      return true;
    }
    if (!decodes.contains(format)) {
      throw ImageFailureException.permanent(
          FailureReason.UNSUPPORTED_FORMAT, whyNotDecoded(format));
    }
    return false;
  }

  private static boolean swapsAxes(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }
}
