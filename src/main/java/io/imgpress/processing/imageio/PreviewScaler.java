package io.imgpress.processing.imageio;

import io.imgpress.processing.Codec.Size;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Scales an opaque RGB image down to a preview. A single bilinear draw from a large image reads
 * only about four source pixels per output pixel and aliases badly, while area averaging is many
 * times slower; halving in bilinear steps until the last step is at most 2× gives a smooth result
 * for a few percent of the cost of coding the image.
 */
final class PreviewScaler {

  private PreviewScaler() {}

  /** {@code rgb} itself when it fits the box already, else a new {@code TYPE_INT_RGB} image. */
  static BufferedImage fit(BufferedImage rgb, int box) {
    Size target = new Size(rgb.getWidth(), rgb.getHeight()).fitIn(box);
    BufferedImage current = rgb;
    while (current.getWidth() != target.width() || current.getHeight() != target.height()) {
      int w = Math.max(target.width(), (current.getWidth() + 1) / 2);
      int h = Math.max(target.height(), (current.getHeight() + 1) / 2);
      current = draw(current, w, h);
    }
    return current;
  }

  private static BufferedImage draw(BufferedImage source, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
