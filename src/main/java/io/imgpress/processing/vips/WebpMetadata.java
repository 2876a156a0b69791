package io.imgpress.processing.vips;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Takes the metadata out of a WebP file: libvips 8.14's WebP saver writes an EXIF chunk whatever
 * {@code strip} says (JPEG and AVIF honour it). The EXIF, XMP and ICC chunks go, with their flags
 * in the VP8X header; a VP8X header left with no flags at all (no alpha, no animation) goes too, so
 * the file becomes the simple format: RIFF, WEBP and the one image chunk.
 */
final class WebpMetadata {

  private static final int ICC = 0x20;
  private static final int EXIF = 0x08;
  private static final int XMP = 0x04;

  private WebpMetadata() {}

  static byte[] strip(byte[] webp) {
    if (webp.length < 12 || !ascii(webp, 0).equals("RIFF") || !ascii(webp, 8).equals("WEBP")) {
      throw new IllegalArgumentException("not a WebP file");
    }
    ByteBuffer in = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
    ByteArrayOutputStream body = new ByteArrayOutputStream(webp.length);
    int at = 12;
    while (at + 8 <= webp.length) {
      String fourcc = ascii(webp, at);
      long size = Integer.toUnsignedLong(in.getInt(at + 4));
      long padded = size + (size & 1);
      if (at + 8 + padded > webp.length) {
        throw new IllegalArgumentException("WebP chunk " + fourcc + " runs past the end");
      }
      int length = (int) (8 + padded);
      switch (fourcc) {
        case "EXIF", "XMP ", "ICCP" -> {}
        case "VP8X" -> {
          int flags = webp[at + 8] & ~(ICC | EXIF | XMP);
          if (flags != 0) {
            byte[] chunk = new byte[length];
            System.arraycopy(webp, at, chunk, 0, length);
            chunk[8] = (byte) flags;
            body.writeBytes(chunk);
          }
        }
        default -> body.write(webp, at, length);
      }
      at += length;
    }
    byte[] chunks = body.toByteArray();
    ByteBuffer out = ByteBuffer.allocate(12 + chunks.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(webp, 0, 4).putInt(4 + chunks.length).put(webp, 8, 4).put(chunks);
    return out.array();
  }

  private static String ascii(byte[] bytes, int at) {
    return new String(bytes, at, 4, StandardCharsets.US_ASCII);
  }
}
