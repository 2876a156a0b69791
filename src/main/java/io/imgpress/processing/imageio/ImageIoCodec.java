package io.imgpress.processing.imageio;

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
import java.awt.Dimension;
import java.awt.color.CMMException;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The portable engine: pure Java (JDK ImageIO plus the TwelveMonkeys plugins), so it runs wherever
 * the JVM does. It reads JPEG, PNG, GIF, BMP, WebP and TIFF; HEIC, AVIF, JPEG XL and JPEG 2000 fail
 * with a reason that names the native engine. Each step lives in its own class; this one orders
 * them and turns every failure of a reader or writer into an {@link ImageFailureException}.
 */
public class ImageIoCodec implements Codec {

  static {
    // In a Spring Boot fat jar the plugins sit in nested jars that ImageIO's first, automatic scan
    // may not see; scanning with the application class loader makes sure they are registered.
    ImageIO.scanForPlugins();
  }

  /** What ImageIO and the TwelveMonkeys plugins on the classpath read. */
  private static final Set<ImageFormat> DECODES =
      Collections.unmodifiableSet(
          EnumSet.of(
              ImageFormat.JPEG,
              ImageFormat.PNG,
              ImageFormat.GIF,
              ImageFormat.BMP,
              ImageFormat.WEBP,
              ImageFormat.TIFF));

  private final boolean optimizeCoding;
  private final AutoQuality autoQuality;

  /** With optimised Huffman tables. */
  public ImageIoCodec() {
    this(true);
  }

  /**
   * @param optimizeCoding compute optimal Huffman tables (a few % smaller, a little slower)
   */
  public ImageIoCodec(boolean optimizeCoding) {
    this(optimizeCoding, AutoQuality.DEFAULT_TARGET);
  }

  /**
   * @param optimizeCoding compute optimal Huffman tables (a few % smaller, a little slower)
   * @param autoQualityTarget the SSIM automatic quality aims for (see {@link AutoQuality})
   */
  public ImageIoCodec(boolean optimizeCoding, double autoQualityTarget) {
    this.optimizeCoding = optimizeCoding;
    this.autoQuality = new AutoQuality(autoQualityTarget);
    for (ImageFormat format : DECODES) {
      if (!ImageIoDecoder.hasReader(format)) {
        throw new IllegalStateException("no ImageIO reader for " + format + " on the classpath");
      }
    }
  }

  @Override
  public Set<ImageFormat> decodes() {
    return DECODES;
  }

  /** No Java library reads these (as of 2026, none that is maintained and pure Java). */
  @Override
  public String whyNotDecoded(ImageFormat format) {
    return displayName(format)
        + " images need the native engine (libvips); this service runs the portable engine";
  }

  @Override
  public ImageInfo probe(byte[] source, ImageFormat format) {
    Objects.requireNonNull(source, "source");
    checkDecodes(format);
    Dimension stored;
    try {
      stored = ImageIoDecoder.readSize(source, format);
    } catch (ImageFailureException e) {
      throw e;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      throw ImageFailureException.permanent("corrupt or unsupported image", e);
    }
    if (stored.width <= 0 || stored.height <= 0) {
      throw ImageFailureException.permanent("corrupt or unsupported image");
    }
    boolean swap = ExifOrientation.swapsAxes(ExifOrientation.read(source, format));
    return swap
        ? new ImageInfo(format, stored.height, stored.width)
        : new ImageInfo(format, stored.width, stored.height);
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
   * Stops between rows (or passes of a progressive image) and between steps at the deadline. Writes
   * JPEG only; a bounding box scales the upright image with {@link Downscaler}, and automatic
   * quality searches on a proxy held in memory (see {@link AutoQuality}).
   */
  @Override
  public EncodedImage encode(
      byte[] source, ImageFormat format, Output output, int previewSize, Deadline deadline) {
    if (previewSize < 0) {
      throw new IllegalArgumentException("preview size must be 0 or more, was " + previewSize);
    }
    Objects.requireNonNull(output, "output");
    if (output.format() != OutputFormat.JPEG) {
      throw ImageFailureException.permanent(
          "the portable engine writes jpeg only: the native engine (libvips) writes webp and avif");
    }
    Objects.requireNonNull(source, "source");
    checkDecodes(format);
    try {
      BufferedImage decoded = ImageIoDecoder.readFirstFrame(source, format, deadline);
      BufferedImage srgb = toSrgb(decoded, source, format);
      deadline.check();
      BufferedImage upright = Orienter.apply(srgb, ExifOrientation.read(source, format));
      deadline.check();
      Size full = new Size(upright.getWidth(), upright.getHeight());
      Size size = full.fitWithin(output.maxWidth(), output.maxHeight());
      BufferedImage sized = size.equals(full) ? upright : Downscaler.to(upright, size);
      deadline.check();
      int quality = output.autoQuality() ? chooseQuality(sized, deadline) : output.quality();
      byte[] jpeg = JpegEncoder.encode(sized, quality, optimizeCoding, deadline);
      byte[] preview = null;
      if (previewSize > 0) {
        deadline.check();
        preview =
            JpegEncoder.encode(
                PreviewScaler.fit(upright, previewSize), PREVIEW_QUALITY, optimizeCoding, deadline);
      }
      return new EncodedImage(
          jpeg, sized.getWidth(), sized.getHeight(), preview, OutputFormat.JPEG, quality);
    } catch (ImageFailureException e) {
      throw e;
    } catch (IOException | RuntimeException | StackOverflowError | InternalError e) {
      if (causedByOutOfMemory(e)) { // the PNG reader wraps it in an IIOException
        throw outOfMemory(e);
      }
      throw ImageFailureException.permanent("corrupt image data: " + reason(e), e);
    } catch (OutOfMemoryError e) {
      throw outOfMemory(e);
    }
  }

  private void checkDecodes(ImageFormat format) {
    if (!DECODES.contains(Objects.requireNonNull(format, "format"))) {
      throw ImageFailureException.permanent(
          FailureReason.UNSUPPORTED_FORMAT, whyNotDecoded(format));
    }
  }

  private static String displayName(ImageFormat format) {
    return switch (format) {
      case HEIF -> "HEIC/HEIF";
      case JXL -> "JPEG XL";
      case JP2 -> "JPEG 2000";
      default -> format.name();
    };
  }

  /** Only JPEG: the JDK has no WebP or AVIF writer. */
  @Override
  public Set<OutputFormat> encodes() {
    return EnumSet.of(OutputFormat.JPEG);
  }

  /** The quality {@link AutoQuality} picks on its proxy, cut from the image to be written. */
  private int chooseQuality(BufferedImage sized, Deadline deadline) throws IOException {
    List<RgbPixels> tiles = new ArrayList<>();
    for (AutoQuality.Tile tile :
        AutoQuality.tiles(
            new Size(sized.getWidth(), sized.getHeight()),
            AutoQuality.proxyPixels(OutputFormat.JPEG))) {
      tiles.add(Pixels.of(sized.getSubimage(tile.x(), tile.y(), tile.width(), tile.height())));
    }
    RgbPixels reference = AutoQuality.proxy(tiles);
    BufferedImage image = Pixels.image(reference);
    return autoQuality.choose(
        reference,
        quality ->
            Pixels.of(
                ImageIoDecoder.readFirstFrame(
                    JpegEncoder.encode(image, quality, optimizeCoding, deadline),
                    ImageFormat.JPEG,
                    deadline)),
        deadline);
  }

  // Usually other images decoding at the same time (the probe has already refused pixel bombs), so
  // a later attempt may well fit.
  private static ImageFailureException outOfMemory(Throwable e) {
    return ImageFailureException.retryable("not enough memory to process image", e);
  }

  private static boolean causedByOutOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  private static BufferedImage toSrgb(BufferedImage decoded, byte[] source, ImageFormat format) {
    if (format == ImageFormat.PNG) {
      var profile = PngIccProfile.find(source);
      if (profile.isPresent()) {
        try {
          return SrgbNormaliser.toSrgbOnWhite(PngIccProfile.assign(decoded, profile.get()));
        } catch (CMMException | IllegalArgumentException e) {
          // A profile the colour engine rejects is ignored, as browsers do.
        }
      }
    }
    return SrgbNormaliser.toSrgbOnWhite(decoded);
  }

  private static String reason(Throwable e) {
    if (e instanceof EOFException) {
      return "unexpected end of data";
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    // Reader messages can quote raw bytes of the file; the client should only ever see plain text.
    message = message.lines().findFirst().orElse("").strip().replaceAll("[^\\x20-\\x7E]", "?");
    return message.length() > 80 ? message.substring(0, 77) + "..." : message;
  }
}
