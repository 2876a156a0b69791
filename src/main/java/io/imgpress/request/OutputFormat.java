package io.imgpress.request;

import java.util.Locale;
import java.util.Optional;

/** The formats a request's outputs are written in; JPEG unless the upload asks otherwise. */
public enum OutputFormat {
  JPEG("jpg", "image/jpeg"),
  WEBP("webp", "image/webp"),
  AVIF("avif", "image/avif");

  private final String extension;
  private final String mediaType;

  OutputFormat(String extension, String mediaType) {
    this.extension = extension;
    this.mediaType = mediaType;
  }

  /** The file extension of stored outputs, without the dot. */
  public String extension() {
    return extension;
  }

  /** The Content-Type outputs are served with. */
  public String mediaType() {
    return mediaType;
  }

  /** How the API spells it: {@code jpeg}, {@code webp} or {@code avif}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format an API value names (case-insensitive, {@code jpg} too), or empty. */
  public static Optional<OutputFormat> fromApiName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String lower = name.strip().toLowerCase(Locale.ROOT);
    for (OutputFormat format : values()) {
      if (format.apiName().equals(lower) || format.extension.equals(lower)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}
