package io.imgpress.processing.vips;

import java.util.Locale;

/** A libvips call failed; the message is libvips' first error line, made short and printable. */
final class VipsException extends RuntimeException {

  private final boolean outOfMemory;

  private VipsException(String message, boolean outOfMemory) {
    super(message);
    this.outOfMemory = outOfMemory;
  }

  /**
   * From the text of libvips' error buffer: "domain: reason" lines, the first one the cause. Some
   * loaders (libpng's "Not a PNG file") only warn and leave it empty: then {@code fallback}.
   */
  static VipsException fromErrorBuffer(String buffer, String fallback) {
    String text = buffer == null ? "" : buffer;
    String first =
        text.lines().filter(line -> !isProbeBeyondTheEnd(line)).findFirst().orElse("").strip();
    int colon = first.indexOf(": ");
    String reason = (colon >= 0 ? first.substring(colon + 2) : first).strip();
    // Loader messages can quote bytes of the file; clients only ever see plain text.
    reason = reason.replaceAll("[^\\x20-\\x7E]", "?");
    if (reason.isEmpty()) {
      reason = fallback;
    }
    if (reason.length() > 80) {
      reason = reason.substring(0, 77) + "...";
    }
    return new VipsException(reason, text.toLowerCase(Locale.ROOT).contains("out of memory"));
  }

  /**
   * libheif asks its reader whether the file reaches beyond where it ends, and libvips' reader
   * answers no by failing a seek, which leaves "bad seek to N" in the error buffer even when the
   * image then loads: never the cause.
   */
  static boolean isProbeBeyondTheEnd(String line) {
    return line.contains("bad seek to");
  }

  boolean isOutOfMemory() {
    return outOfMemory;
  }
}
