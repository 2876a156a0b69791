package io.imgpress.processing;

/** The input formats imgpress accepts, as recognised from their leading bytes. */
public enum ImageFormat {
  JPEG("image/jpeg"),
  PNG("image/png"),
  GIF("image/gif"),
  BMP("image/bmp"),
  WEBP("image/webp"),
  /** HEIC and the other HEIF brands (HEVC-coded); AVIF, also HEIF-based, is its own format. */
  HEIF("image/heic"),
  AVIF("image/avif"),
  TIFF("image/tiff"),
  JXL("image/jxl"),
  /** JPEG 2000: the JP2 file format or a raw J2K codestream. */
  JP2("image/jp2");

  private final String mediaType;

  ImageFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** Its media type, as an {@code Accept} header names it. */
  public String mediaType() {
    return mediaType;
  }
}
