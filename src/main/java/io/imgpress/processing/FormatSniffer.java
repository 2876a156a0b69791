package io.imgpress.processing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises the accepted image formats from their leading bytes, because URLs and Content-Type
 * headers of product feeds are too often wrong to be trusted.
 */
public final class FormatSniffer {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  // The signature boxes that open a JPEG XL container and a JP2 file: size 12, then the type.
  private static final byte[] JXL_CONTAINER = {
    0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A
  };
  private static final byte[] JP2_SIGNATURE = {
    0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A
  };
  private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");
  private static final Set<String> HEIF_BRANDS =
      Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1");
  // An ftyp box lists a handful of brands; more than this is no image file we know.
  private static final int MAX_BRANDS = 64;

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
    if (startsWithAscii(bytes, 0, "II*\0") || startsWithAscii(bytes, 0, "MM\0*")) {
      return Optional.of(ImageFormat.TIFF);
    }
    if (startsWithAscii(bytes, 4, "ftyp")) {
      return isoMediaFormat(bytes);
    }
    if (startsWith(bytes, 0, (byte) 0xFF, (byte) 0x0A) || startsWith(bytes, 0, JXL_CONTAINER)) {
      return Optional.of(ImageFormat.JXL);
    }
    if (startsWith(bytes, 0, JP2_SIGNATURE)
        || startsWith(bytes, 0, (byte) 0xFF, (byte) 0x4F, (byte) 0xFF, (byte) 0x51)) {
      return Optional.of(ImageFormat.JP2);
    }
    return Optional.empty();
  }

  /**
   * HEIF and AVIF share the ISO base media file format: an {@code ftyp} box with a major brand and
   * a list of compatible brands. Writers often put the generic {@code mif1} first and {@code avif}
   * among the compatible ones, so AVIF wins wherever it appears: an AV1-coded file read as HEIC
   * would need the wrong decoder. Other brands (MP4 video, QuickTime) are no image.
   */
  private static Optional<ImageFormat> isoMediaFormat(byte[] b) {
    long boxSize = (b[0] & 0xFFL) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    if (boxSize < 16) {
      return Optional.empty(); // 0 (to the end of the file) and 1 (64-bit size) never open images
    }
    // major brand (8..12), minor version (12..16), then compatible brands to the end of the box.
    long end = Math.min(b.length, Math.min(boxSize, 16 + 4L * MAX_BRANDS));
    List<String> brands = new ArrayList<>();
    if (b.length >= 12) {
      brands.add(new String(b, 8, 4, StandardCharsets.ISO_8859_1));
    }
    for (int at = 16; at + 4 <= end; at += 4) {
      brands.add(new String(b, at, 4, StandardCharsets.ISO_8859_1));
    }
    if (brands.stream().anyMatch(AVIF_BRANDS::contains)) {
      return Optional.of(ImageFormat.AVIF);
    }
    if (brands.stream().anyMatch(HEIF_BRANDS::contains)) {
      return Optional.of(ImageFormat.HEIF);
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
