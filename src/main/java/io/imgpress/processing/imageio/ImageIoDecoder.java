package io.imgpress.processing.imageio;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.imgpress.processing.Deadline;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFormat;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads one image with the ImageIO reader registered for its format: the header alone for a probe,
 * or the first frame's pixels. Works from the byte array directly, so nothing is cached to disk or
 * copied.
 */
final class ImageIoDecoder {

  private ImageIoDecoder() {}

  /** Stored (not oriented) width and height, from the header only. */
  static Dimension readSize(byte[] bytes, ImageFormat format) throws IOException {
    ImageReader reader = readerFor(format);
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      reader.setInput(in, true, true);
      return new Dimension(reader.getWidth(0), reader.getHeight(0));
    } finally {
      reader.dispose();
    }
  }

  /** The first frame, as stored (orientation and colour space untouched). */
  static BufferedImage readFirstFrame(byte[] bytes, ImageFormat format) throws IOException {
    return readFirstFrame(bytes, format, Deadline.none());
  }

  /** As above; stops between rows or passes once the deadline has expired, failing with it. */
  static BufferedImage readFirstFrame(byte[] bytes, ImageFormat format, Deadline deadline)
      throws IOException {
    ImageReader reader = readerFor(format);
    // Readers only honour abort() from their own thread, so the listener asks them to.
    AbortOnExpiry abort = new AbortOnExpiry(reader::abort, deadline);
    reader.addIIOReadProgressListener(abort);
    reader.addIIOReadUpdateListener(abort);
    AtomicBoolean truncated = new AtomicBoolean();
    // JPEG readers fill in a cut-off file with grey and only warn; a half-grey product photo must
    // fail instead.
    reader.addIIOReadWarningListener(
        (source, warning) -> truncated.compareAndSet(false, isTruncationWarning(warning)));
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      reader.setInput(in, true, true);
      BufferedImage image = reader.read(0);
      deadline.check();
      if (truncated.get()) {
        throw ImageFailureException.permanent("corrupt image data: truncated file");
      }
      return image;
    } finally {
      reader.dispose();
    }
  }

  static boolean hasReader(ImageFormat format) {
    return ImageIO.getImageReadersByFormatName(formatName(format)).hasNext();
  }

  private static boolean isTruncationWarning(String warning) {
    String w = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("missing eoi") || w.contains("truncated");
  }

  // The first reader wins: TwelveMonkeys registers its JPEG reader ahead of the JDK's, and only
  // that one decodes CMYK/YCCK and applies embedded ICC profiles.
  private static ImageReader readerFor(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(formatName(format));
    if (!readers.hasNext()) {
      throw ImageFailureException.permanent("unsupported image format: " + format);
    }
    return readers.next();
  }

  private static String formatName(ImageFormat format) {
    return format.name().toLowerCase(Locale.ROOT);
  }
}
