package io.imgpress.processing;

/** The input formats imgpress accepts, as recognised from their leading bytes. */
public enum ImageFormat {
  JPEG("image/jpeg"),
  PNG("image/png"),
  GIF("image/gif"),
  BMP("image/bmp"),
  WEBP("image/webp");

  private final String mediaType;

  ImageFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** Its media type, as an {@code Accept} header names it. */
  public String mediaType() {
    return mediaType;
  }
}
