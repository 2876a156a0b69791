package io.imgpress.processing.imageio;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Brings any decoded image to opaque 8-bit sRGB ({@code TYPE_INT_RGB}, or the decoder's own {@code
 * TYPE_3BYTE_BGR} when that is sRGB already), transparency composited on white, since JPEG has
 * neither alpha nor a reliable way to carry other colour spaces to browsers.
 */
final class SrgbNormaliser {

  private SrgbNormaliser() {}

  static BufferedImage toSrgbOnWhite(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    ColorSpace cs = cm.getColorSpace();
    // Most JPEGs decode to sRGB 3BYTE_BGR, which the encoder takes as it is: redrawing it into an
    // int raster only for the encoder to convert it back cost a fifth of the portable engine's
    // time.
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        || (image.getType() == BufferedImage.TYPE_3BYTE_BGR && cs.isCS_sRGB())) {
      return image;
    }
    if (cs.getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
      return greyOnWhite(image);
    }
    if (!cs.isCS_sRGB()) {
      image = convertToSrgb(image);
    }
    return drawOnWhite(image);
  }

  /**
   * Greyscale is handled by hand: Java 2D treats grey as linear and brightens it on some paths
   * (alpha, 16-bit) but not others, while grey in JPEG/PNG files is gamma-encoded like sRGB and
   * should map straight to R=G=B.
   */
  private static BufferedImage greyOnWhite(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    double greyMax = (1 << cm.getComponentSize(0)) - 1;
    boolean alpha = cm.hasAlpha();
    double alphaMax = alpha ? (1 << cm.getComponentSize(cm.getNumComponents() - 1)) - 1 : 1;
    int alphaBand = raster.getNumBands() - 1;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    int[] grey = new int[w];
    int[] alphas = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, grey);
      if (alpha) {
        raster.getSamples(0, y, w, 1, alphaBand, alphas);
      }
      for (int x = 0; x < w; x++) {
        double g = grey[x] / greyMax;
        if (alpha) {
          double a = alphas[x] / alphaMax;
          g = (cm.isAlphaPremultiplied() ? g : g * a) + (1 - a);
        }
        int v = (int) Math.round(Math.min(1, Math.max(0, g)) * 255);
        dst[y * w + x] = v << 16 | v << 8 | v;
      }
    }
    return out;
  }

  /** ICC-managed conversion (CMYK, linear RGB, Adobe RGB, Display P3 ... to sRGB). */
  private static BufferedImage convertToSrgb(BufferedImage image) {
    int type =
        image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    BufferedImage srgb = new BufferedImage(image.getWidth(), image.getHeight(), type);
    new ColorConvertOp(null).filter(image, srgb);
    return srgb;
  }

  static BufferedImage drawOnWhite(BufferedImage image) {
    BufferedImage out =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setComposite(AlphaComposite.Src);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.setComposite(AlphaComposite.SrcOver);
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
