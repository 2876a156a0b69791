package io.imgpress.processing;

/** The input formats imgpress accepts, as recognised from their leading bytes. */
public enum ImageFormat {
  JPEG,
  PNG,
  GIF,
  BMP,
  WEBP
}
