package io.imgpress.storage;

import io.imgpress.request.OutputFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where one output image, or its "before" preview, lives. File names are checked against a strict
 * pattern, so a key built from a URL can never name a path outside its request's folder.
 */
public record StorageKey(UUID requestId, String file) {

  private static final Pattern FILE =
      Pattern.compile("[0-9]{1,19}(\\.(jpg|webp|avif)|-before\\.jpg)");

  public StorageKey {
    if (!FILE.matcher(file).matches()) {
      throw new IllegalArgumentException("invalid image file name");
    }
  }

  public static StorageKey forImage(UUID requestId, long imageId) {
    return forImage(requestId, imageId, OutputFormat.JPEG);
  }

  /** The output of an image in the request's output format: {@code {imageId}.{extension}}. */
  public static StorageKey forImage(UUID requestId, long imageId, OutputFormat format) {
    return new StorageKey(requestId, imageId + "." + format.extension());
  }

  /** The media type the file is served with, from its extension. */
  public String mediaType() {
    return file.endsWith(".webp")
        ? OutputFormat.WEBP.mediaType()
        : file.endsWith(".avif") ? OutputFormat.AVIF.mediaType() : OutputFormat.JPEG.mediaType();
  }

  /** The preview of the image's source: {@code {imageId}-before.jpg} beside its output. */
  public static StorageKey forPreview(UUID requestId, long imageId) {
    return new StorageKey(requestId, imageId + "-before.jpg");
  }

  /** The path under which the web layer serves it, relative to the public base URL. */
  public String publicPath() {
    return "/images/" + requestId + "/" + file;
  }
}
