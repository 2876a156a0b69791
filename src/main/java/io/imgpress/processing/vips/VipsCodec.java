package io.imgpress.processing.vips;

import io.imgpress.processing.AutoQuality;
import io.imgpress.processing.Codec;
import io.imgpress.processing.Codec.Size;
import io.imgpress.processing.Deadline;
import io.imgpress.processing.FailureReason;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFormat;
import io.imgpress.processing.RgbPixels;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
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
 *
 * <p>Writes JPEG, WebP and AVIF, the latter two with sharp's default settings so that benchmarks
 * against sharp compare like with like; small images go to the portable engine only for outputs it
 * writes (JPEG). Automatic quality is the exception to streaming: its proxy is cut from a second
 * decode with random access, which libvips holds whole in its own memory for the length of the
 * search.
 */
public final class VipsCodec implements Codec {

  private final VipsLibrary vips;
  private final boolean optimizeCoding;
  private final Codec portable;
  private final long smallPixels;
  private final Set<ImageFormat> decodes;
  private final AutoQuality autoQuality;
  private final Set<OutputFormat> encodes;

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
    this(optimizeCoding, portable, smallPixels, AutoQuality.DEFAULT_TARGET);
  }

  /**
   * @param autoQualityTarget the SSIM automatic quality aims for (see {@link AutoQuality})
   */
  public VipsCodec(
      boolean optimizeCoding, Codec portable, long smallPixels, double autoQualityTarget) {
    this.vips = VipsLibrary.get();
    this.optimizeCoding = optimizeCoding;
    this.portable = Objects.requireNonNull(portable, "portable");
    this.smallPixels = smallPixels;
    EnumSet<ImageFormat> all = EnumSet.noneOf(ImageFormat.class);
    all.addAll(vips.loaders());
    all.addAll(portable.decodes());
    this.decodes = Collections.unmodifiableSet(all);
    this.autoQuality = new AutoQuality(autoQualityTarget);
    this.encodes = writableFormats(vips);
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

  /**
   * JPEG, plus WebP and AVIF where this libvips build has their savers: libvips can be built
   * without libwebp or libheif, and libheif without an AV1 encoder, so AVIF is proven by encoding a
   * tiny image once.
   */
  private static Set<OutputFormat> writableFormats(VipsLibrary vips) {
    Set<OutputFormat> formats = EnumSet.of(OutputFormat.JPEG);
    if (vips.hasOperation("webpsave_buffer")) {
      formats.add(OutputFormat.WEBP);
    }
    if (vips.hasOperation("heifsave_buffer")) {
      try (VipsCall call = new VipsCall(vips)) {
        call.avifsave(call.fromPixels(new RgbPixels(16, 16, new byte[16 * 16 * 3])), 50);
        formats.add(OutputFormat.AVIF);
      } catch (VipsException e) {
        // libheif without an AV1 encoder: HEIC-only builds.
      }
    }
    return Collections.unmodifiableSet(formats);
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
   * <p>A bounding box scales the upright image down with lanczos3 (sharp's default kernel). With
   * automatic quality the quality is chosen first on a small proxy decoded separately (see {@link
   * AutoQuality}), so the output itself still streams.
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
    if (previewSize < 0) {
      throw new IllegalArgumentException("preview size must be 0 or more, was " + previewSize);
    }
    Objects.requireNonNull(source, "source");
    if (!encodes.contains(output.format())) {
      throw ImageFailureException.permanent(
          "cannot write " + output.format().apiName() + ": this libvips has no encoder for it");
    }
    boolean portableWrites = portable.encodes().contains(output.format());
    if (!readsNatively(format)) {
      return portableWrites
          ? portable.encode(source, format, output, previewSize, deadline)
          : viaPortableJpeg(source, format, output, previewSize, deadline);
    }
    try (VipsCall call = new VipsCall(vips)) {
      MemorySegment image = call.load(format, source, VipsLibrary.ACCESS_SEQUENTIAL);
      if (portableWrites
          && (long) call.width(image) * call.height(image) <= smallPixels
          && portable.decodes().contains(format)) {
        return portable.encode(source, format, output, previewSize, deadline);
      }
      deadline.check();
      Size upright =
          swapsAxes(call.orientation(image))
              ? new Size(call.height(image), call.width(image))
              : new Size(call.width(image), call.height(image));
      Size size = upright.fitWithin(output.maxWidth(), output.maxHeight());
      int quality =
          output.autoQuality()
              ? chooseQuality(source, format, output.format(), upright, size, deadline)
              : output.quality();
      image = prepared(call, format, source, VipsLibrary.ACCESS_SEQUENTIAL, upright, size);
      byte[] bytes = save(call, image, output.format(), quality);
      deadline.check();
      byte[] preview = null;
      if (previewSize > 0) {
        preview = preview(call, source, format, upright, previewSize);
        deadline.check();
      }
      return new EncodedImage(
          bytes, call.width(image), call.height(image), preview, output.format(), quality);
    } catch (VipsException e) {
      if (e.isOutOfMemory()) {
        // Usually other images decoding at the same time, so a later attempt may well fit.
        throw ImageFailureException.retryable("not enough memory to process image", e);
      }
      throw ImageFailureException.permanent("corrupt image data: " + e.getMessage(), e);
    }
  }

  /** The output formats: JPEG always, WebP and AVIF when this libvips build can write them. */
  @Override
  public Set<OutputFormat> encodes() {
    return encodes;
  }

  /**
   * Oriented, sRGB, flattened on white and scaled to {@code size} with lanczos3: what every output
   * and proxy is made from. Turning needs pixels out of order, which a sequential load cannot
   * serve, so a turned image is loaded again with random access. A JPEG scaled to half or less
   * first decodes at 1/2, 1/4 or 1/8 of its size (shrink-on-load, as sharp does), leaving lanczos3
   * at least a factor of 2 to do.
   *
   * @param upright the source's size, orientation applied
   */
  private static MemorySegment prepared(
      VipsCall call, ImageFormat format, byte[] source, int access, Size upright, Size size) {
    MemorySegment image = call.load(format, source, access);
    int shrink = format == ImageFormat.JPEG ? shrinkOnLoad(upright, size) : 1;
    if (shrink > 1) {
      image = call.jpegloadShrunk(access, shrink);
    }
    if (call.orientation(image) != 1) {
      image =
          call.autorot(
              shrink > 1
                  ? call.jpegloadShrunk(VipsLibrary.ACCESS_RANDOM, shrink)
                  : call.load(format, source, VipsLibrary.ACCESS_RANDOM));
    }
    image = VipsSrgb.toSrgb(call, image);
    if (call.hasAlpha(image)) {
      image = call.flattenOnWhite(image);
    }
    if (call.width(image) != size.width() || call.height(image) != size.height()) {
      image = call.resizeLanczos(image, size.width(), size.height());
    }
    return image;
  }

  /** The largest JPEG DCT shrink (1, 2, 4 or 8) that leaves at least twice {@code size}. */
  static int shrinkOnLoad(Size upright, Size size) {
    int shrink = 1;
    while (shrink < 8
        && upright.width() / (shrink * 2) >= size.width() * 2
        && upright.height() / (shrink * 2) >= size.height() * 2) {
      shrink *= 2;
    }
    return shrink;
  }

  private byte[] save(VipsCall call, MemorySegment image, OutputFormat format, int quality) {
    return switch (format) {
      case JPEG -> call.jpegsave(image, quality, optimizeCoding);
      case WEBP -> call.webpsave(image, quality);
      case AVIF -> call.avifsave(image, quality);
    };
  }

  /**
   * The quality {@link AutoQuality} picks on its proxy, from a separate decode of the source with
   * random access (tiles are cut from all over the image), prepared as the output is; the proxy's
   * pixels are held in memory, and each trial encodes them and decodes the result in a call of its
   * own, freed at once.
   */
  private int chooseQuality(
      byte[] source,
      ImageFormat format,
      OutputFormat output,
      Size upright,
      Size size,
      Deadline deadline) {
    try (VipsCall call = new VipsCall(vips)) {
      MemorySegment image =
          prepared(call, format, source, VipsLibrary.ACCESS_RANDOM, upright, size);
      List<RgbPixels> tiles = new ArrayList<>();
      for (AutoQuality.Tile tile : AutoQuality.tiles(size, AutoQuality.proxyPixels(output))) {
        tiles.add(
            call.rgbPixels(call.extract(image, tile.x(), tile.y(), tile.width(), tile.height())));
        deadline.check();
      }
      RgbPixels reference = AutoQuality.proxy(tiles);
      MemorySegment held = call.fromPixels(reference);
      return autoQuality.choose(
          reference,
          quality -> {
            byte[] trial = save(call, held, output, quality);
            try (VipsCall decode = new VipsCall(vips)) {
              return decode.decode(trial);
            }
          },
          deadline);
    }
  }

  /**
   * BMP, which libvips cannot read, in a format the portable engine cannot write: the portable
   * engine turns it into a full-size JPEG of quality 100 (and makes the preview), which this engine
   * then encodes. The detour costs some chroma detail (4:2:0) and time, for a rare input.
   */
  private EncodedImage viaPortableJpeg(
      byte[] source, ImageFormat format, Output output, int previewSize, Deadline deadline) {
    EncodedImage jpeg = portable.encode(source, format, Output.jpeg(100), previewSize, deadline);
    EncodedImage out = encode(jpeg.bytes(), ImageFormat.JPEG, output, 0, deadline);
    return new EncodedImage(
        out.bytes(), out.width(), out.height(), jpeg.preview(), out.format(), out.quality());
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
