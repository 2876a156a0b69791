package io.imgpress.processing.imageio;

import io.imgpress.processing.Deadline;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes an opaque RGB image as a baseline JPEG: explicit quality, optimised Huffman tables unless
 * turned off (smaller files at no quality cost), the writer's default 4:2:0 chroma subsampling, and
 * no metadata beyond the JFIF header, so no orientation tag can rotate the upright pixels again.
 */
final class JpegEncoder {

  private JpegEncoder() {}

  static byte[] encode(BufferedImage rgb, int quality) throws IOException {
    return encode(rgb, quality, true);
  }

  static byte[] encode(BufferedImage rgb, int quality, boolean optimizeCoding) throws IOException {
    return encode(rgb, quality, optimizeCoding, Deadline.none());
  }

  /** Stops between rows once the deadline has expired, failing with its failure. */
  static byte[] encode(BufferedImage rgb, int quality, boolean optimizeCoding, Deadline deadline)
      throws IOException {
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("quality must be 1..100, was " + quality);
    }
    // ImageIO silently writes nothing for images with alpha, so refuse them loudly instead.
    if (rgb.getType() != BufferedImage.TYPE_INT_RGB
        && rgb.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      throw new IllegalArgumentException("expected an opaque RGB image, got type " + rgb.getType());
    }
    ImageWriter writer = jpegWriter();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      // The writer only honours abort() from its own thread, so the listener asks it to.
      writer.addIIOWriteProgressListener(new AbortOnExpiry(writer::abort, deadline));
      writer.write(null, new IIOImage(rgb, null, null), params(writer, quality, optimizeCoding));
      deadline.check();
    } finally {
      writer.dispose();
    }
    if (bytes.size() == 0) {
      throw new IOException("JPEG writer produced no output");
    }
    return bytes.toByteArray();
  }

  private static ImageWriteParam params(ImageWriter writer, int quality, boolean optimizeCoding) {
    JPEGImageWriteParam param = (JPEGImageWriteParam) writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality / 100f);
    param.setOptimizeHuffmanTables(optimizeCoding);
    param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
    return param;
  }

  private static ImageWriter jpegWriter() {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    while (writers.hasNext()) {
      ImageWriter writer = writers.next();
      if (writer.getDefaultWriteParam() instanceof JPEGImageWriteParam) {
        return writer;
      }
      writer.dispose();
    }
    throw new IllegalStateException("no ImageIO JPEG writer with JPEGImageWriteParam available");
  }
}
