package io.imgpress.processing.imageio;

import io.imgpress.processing.Codec.Size;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Scales an opaque RGB image down to an exact size for an output's bounding box, with quality to
 * match libvips' lanczos3: first halves by averaging each 2×2 block (a box filter, so fine detail
 * averages out instead of aliasing) while the image is still at least twice the target, then one
 * bicubic step of less than 2×. Unlike {@link PreviewScaler}'s bilinear halving, the averaging is
 * exact at every halving, odd sizes included (the last row or column is averaged with itself).
 */
final class Downscaler {

  private Downscaler() {}

  /** {@code rgb} itself when it has the target's size, else a new {@code TYPE_INT_RGB} image. */
  static BufferedImage to(BufferedImage rgb, Size target) {
    if (target.width() > rgb.getWidth() || target.height() > rgb.getHeight()) {
      throw new IllegalArgumentException(
          "only scales down: " + rgb.getWidth() + "×" + rgb.getHeight() + " to " + target);
    }
    BufferedImage current = rgb;
    while (current.getWidth() >= target.width() * 2 && current.getHeight() >= target.height() * 2) {
      current = halve(current);
    }
    if (current.getWidth() == target.width() && current.getHeight() == target.height()) {
      return current;
    }
    return bicubic(current, target.width(), target.height());
  }

  /** Each output pixel the mean of a 2×2 block (rounded). */
  static BufferedImage halve(BufferedImage source) {
    int sw = source.getWidth();
    int sh = source.getHeight();
    int w = (sw + 1) / 2;
    int h = (sh + 1) / 2;
    int[] row0 = new int[sw];
    int[] row1 = new int[sw];
    int[] out = new int[w];
    BufferedImage half = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      source.getRGB(0, 2 * y, sw, 1, row0, 0, sw);
      source.getRGB(0, Math.min(2 * y + 1, sh - 1), sw, 1, row1, 0, sw);
      for (int x = 0; x < w; x++) {
        int x0 = 2 * x;
        int x1 = Math.min(x0 + 1, sw - 1);
        int a = row0[x0];
        int b = row0[x1];
        int c = row1[x0];
        int d = row1[x1];
        int r =
            (((a >> 16) & 0xFF) + ((b >> 16) & 0xFF) + ((c >> 16) & 0xFF) + ((d >> 16) & 0xFF) + 2)
                >> 2;
        int g =
            (((a >> 8) & 0xFF) + ((b >> 8) & 0xFF) + ((c >> 8) & 0xFF) + ((d >> 8) & 0xFF) + 2)
                >> 2;
        int bl = ((a & 0xFF) + (b & 0xFF) + (c & 0xFF) + (d & 0xFF) + 2) >> 2;
        out[x] = (r << 16) | (g << 8) | bl;
      }
      half.setRGB(0, y, w, 1, out, 0, w);
    }
    return half;
  }

  private static BufferedImage bicubic(BufferedImage source, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
