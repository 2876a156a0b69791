package io.imgpress.intake;

/**
 * The output fields of an upload form as sent, unchecked: {@link UploadService} validates them and
 * turns them into a {@link io.imgpress.request.Output}. Null or blank means "not given".
 *
 * @param quality 1–100, or {@code auto} (any case)
 * @param format {@code jpeg} (also {@code jpg}), {@code webp} or {@code avif} (any case)
 * @param maxWidth the widest an output may be, 1–{@value OutputFieldParser#MAX_DIMENSION}
 * @param maxHeight the tallest an output may be, 1–{@value OutputFieldParser#MAX_DIMENSION}
 */
public record OutputFields(String quality, String format, String maxWidth, String maxHeight) {

  /** Only a quality, as uploads sent before outputs had options. */
  public static OutputFields quality(String quality) {
    return new OutputFields(quality, null, null, null);
  }
}
