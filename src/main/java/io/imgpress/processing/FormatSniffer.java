package io.imgpress.processing;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises the accepted image formats from their leading bytes, because URLs and Content-Type
 * headers of product feeds are too often wrong to be trusted.
 */
public final class FormatSniffer {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private FormatSniffer() {}

  /** The format the bytes are in, or empty when they are none of the accepted ones. */
  public static Optional<ImageFormat> sniff(byte[] bytes) {
    if (bytes == null) {
      return Optional.empty();
    }
    if (startsWith(bytes, 0, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
      return Optional.of(ImageFormat.JPEG);
    }
    if (startsWith(bytes, 0, PNG)) {
      return Optional.of(ImageFormat.PNG);
    }
    if (startsWithAscii(bytes, 0, "GIF87a") || startsWithAscii(bytes, 0, "GIF89a")) {
      return Optional.of(ImageFormat.GIF);
    }
    if (startsWithAscii(bytes, 0, "RIFF") && startsWithAscii(bytes, 8, "WEBP")) {
      return Optional.of(ImageFormat.WEBP);
    }
    if (isBmp(bytes)) {
      return Optional.of(ImageFormat.BMP);
    }
    return Optional.empty();
  }

  /**
   * A short reason, safe to show to a client, for what the bytes are: the format name for accepted
   * images, otherwise a guess such as "not an image (looks like HTML)".
   */
  public static String describe(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return "empty body";
    }
    Optional<ImageFormat> format = sniff(bytes);
    if (format.isPresent()) {
      return format.get() + " image";
    }
    String other = otherImageFormat(bytes);
    if (other != null) {
      return "unsupported image format (looks like " + other + ")";
    }
    if (startsWithAscii(bytes, 0, "%PDF")) {
      return "refused: PDF can carry scripts and external references, so it is never rendered";
    }
    if (startsWithAscii(bytes, 0, "%!PS")) {
      return "refused: PostScript is a program, so it is never rendered";
    }
    String head = textHead(bytes);
    if (head == null) {
      return "not an image (unknown format)";
    }
    String lower = head.stripLeading().toLowerCase(Locale.ROOT);
    if (lower.startsWith("<!doctype html")
        || lower.startsWith("<html")
        || lower.contains("<body")) {
      return "not an image (looks like HTML)";
    }
    if (lower.startsWith("<svg") || (lower.startsWith("<?xml") && lower.contains("<svg"))) {
      return "refused: SVG can carry scripts and external references, so it is never rendered";
    }
    if (lower.startsWith("<?xml")) {
      return "not an image (looks like XML)";
    }
    if (lower.startsWith("{") || lower.startsWith("[")) {
      return "not an image (looks like JSON)";
    }
    return "not an image (looks like text)";
  }

  // "BM" alone is too weak (any text starting with "BM"), so also require a known DIB header size.
  private static boolean isBmp(byte[] b) {
    if (!startsWithAscii(b, 0, "BM") || b.length < 18) {
      return false;
    }
    int dibSize =
        (b[14] & 0xFF) | (b[15] & 0xFF) << 8 | (b[16] & 0xFF) << 16 | (b[17] & 0xFF) << 24;
    return switch (dibSize) {
      case 12, 16, 40, 52, 56, 64, 108, 124 -> true;
      default -> false;
    };
  }

  private static String otherImageFormat(byte[] b) {
    if (startsWithAscii(b, 0, "II*\0") || startsWithAscii(b, 0, "MM\0*")) {
      return "TIFF";
    }
    if (startsWithAscii(b, 4, "ftyp")) {
      String brand = b.length >= 12 ? new String(b, 8, 4, StandardCharsets.ISO_8859_1) : "";
      return switch (brand) {
        case "avif", "avis" -> "AVIF";
        case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1" -> "HEIC";
        default -> null;
      };
    }
    return null;
  }

  /** The first bytes as text when they look like text (no control bytes), otherwise null. */
  private static String textHead(byte[] b) {
    int n = Math.min(b.length, 512);
    int start = startsWith(b, 0, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF) ? 3 : 0;
    for (int i = start; i < n; i++) {
      int c = b[i] & 0xFF;
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
        return null;
      }
    }
    return new String(b, start, n - start, StandardCharsets.UTF_8);
  }

  private static boolean startsWithAscii(byte[] b, int offset, String ascii) {
    return startsWith(b, offset, ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean startsWith(byte[] b, int offset, byte... prefix) {
    if (b.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
