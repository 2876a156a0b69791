package io.imgpress.processing.imageio;

import io.imgpress.processing.RgbPixels;
import java.awt.image.BufferedImage;

/** A decoded image's sRGB pixels as {@link RgbPixels}, for comparing them. */
final class Pixels {

  private Pixels() {}

  static RgbPixels of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0, p = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++, p += 3) {
        rgb[p] = (byte) (row[x] >> 16);
        rgb[p + 1] = (byte) (row[x] >> 8);
        rgb[p + 2] = (byte) row[x];
      }
    }
    return new RgbPixels(w, h, rgb);
  }

  /** The pixels as a {@code TYPE_INT_RGB} image, as the JPEG encoder takes it. */
  static BufferedImage image(RgbPixels pixels) {
    int w = pixels.width();
    int h = pixels.height();
    byte[] rgb = pixels.rgb();
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0, p = 0; y < h; y++) {
      for (int x = 0; x < w; x++, p += 3) {
        row[x] = (rgb[p] & 0xFF) << 16 | (rgb[p + 1] & 0xFF) << 8 | (rgb[p + 2] & 0xFF);
      }
      image.setRGB(0, y, w, 1, row, 0, w);
    }
    return image;
  }
}
