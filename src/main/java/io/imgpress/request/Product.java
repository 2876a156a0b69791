package io.imgpress.request;

import java.util.List;

/** One CSV row of a request with its images, in input order. */
public record Product(long productId, long serialNumber, String name, List<Image> images) {

  /**
   * One image of a product. {@code outputPath} and {@code previewPath} (where the preview of its
   * source is served; null when it has none) are relative to the public base URL; {@code
   * changeNumber} is the number of its last change (0 before the first), see {@link
   * ImageTransitions}; {@code outputQuality} is the quality its output was encoded at (the one
   * chosen, for automatic quality), null until it completed.
   */
  public record Image(
      long imageId,
      String inputUrl,
      String outputPath,
      String previewPath,
      ImageStatus status,
      String error,
      int attempts,
      Long inputBytes,
      Long outputBytes,
      long changeNumber,
      Integer outputQuality) {

    /** An image whose output quality is not known (not completed, or completed before it was). */
    public Image(
        long imageId,
        String inputUrl,
        String outputPath,
        String previewPath,
        ImageStatus status,
        String error,
        int attempts,
        Long inputBytes,
        Long outputBytes,
        long changeNumber) {
      this(
          imageId,
          inputUrl,
          outputPath,
          previewPath,
          status,
          error,
          attempts,
          inputBytes,
          outputBytes,
          changeNumber,
          null);
    }
  }
}
