package io.imgpress.intake;

import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import java.util.Locale;

/**
 * Checks an upload's output fields one by one and builds the request's {@link Output}; each refusal
 * names its field, as the web layer reports it.
 */
final class OutputFieldParser {

  /**
   * The largest {@code maxWidth} or {@code maxHeight} taken. A bound only ever scales down, so a
   * larger one would be the same as none for any image an output format can hold (WebP stops at
   * 16383 pixels a side); refusing it tells a caller about a typo rather than ignoring it.
   */
  static final int MAX_DIMENSION = 16384;

  static final String AUTO = "auto";

  private OutputFieldParser() {}

  static Output parse(OutputFields fields, int defaultQuality) {
    return new Output(
        format(fields.format()),
        quality(fields.quality(), defaultQuality),
        dimension("maxWidth", fields.maxWidth()),
        dimension("maxHeight", fields.maxHeight()));
  }

  private static boolean absent(String raw) {
    return raw == null || raw.isBlank();
  }

  static int quality(String raw, int defaultQuality) {
    if (absent(raw)) {
      return defaultQuality;
    }
    String value = raw.strip();
    if (value.toLowerCase(Locale.ROOT).equals(AUTO)) {
      return Output.AUTO_QUALITY;
    }
    try {
      int q = Integer.parseInt(value);
      if (q >= 1 && q <= 100) {
        return q;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidUploadException(
        "quality", "quality must be a whole number from 1 to 100, or auto");
  }

  static OutputFormat format(String raw) {
    if (absent(raw)) {
      return OutputFormat.JPEG;
    }
    return OutputFormat.fromApiName(raw)
        .orElseThrow(
            () -> new InvalidUploadException("format", "format must be jpeg, webp or avif"));
  }

  /** 0 (no limit) when absent. */
  static int dimension(String field, String raw) {
    if (absent(raw)) {
      return 0;
    }
    try {
      int pixels = Integer.parseInt(raw.strip());
      if (pixels >= 1 && pixels <= MAX_DIMENSION) {
        return pixels;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidUploadException(
        field, field + " must be a whole number of pixels from 1 to " + MAX_DIMENSION);
  }
}
