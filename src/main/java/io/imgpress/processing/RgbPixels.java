package io.imgpress.processing;

import java.util.Objects;

/**
 * Decoded 8-bit sRGB pixels, interleaved R, G, B, row after row: what both engines hand {@link
 * Ssim} to compare an encoded output with the image it was made from.
 */
public record RgbPixels(int width, int height, byte[] rgb) {

  public RgbPixels {
    Objects.requireNonNull(rgb, "rgb");
    if (width < 1 || height < 1 || rgb.length != (long) width * height * 3) {
      throw new IllegalArgumentException(
          "expected " + width + "×" + height + "×3 bytes, got " + rgb.length);
    }
  }

  /** BT.601 luma (as JPEG's YCbCr uses), 0–255, one value a pixel. */
  float[] luma() {
    float[] y = new float[width * height];
    for (int i = 0, p = 0; i < y.length; i++, p += 3) {
      y[i] = 0.299f * (rgb[p] & 0xFF) + 0.587f * (rgb[p + 1] & 0xFF) + 0.114f * (rgb[p + 2] & 0xFF);
    }
    return y;
  }
}
