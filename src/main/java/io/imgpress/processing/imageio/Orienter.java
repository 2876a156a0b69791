package io.imgpress.processing.imageio;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Turns a stored image into the one a viewer shows for an EXIF orientation. Works on whole pixels
 * of a {@code TYPE_INT_RGB} image by index arithmetic, so the result is exact: an affine draw would
 * resample and blur edge pixels for no benefit.
 */
final class Orienter {

  private Orienter() {}

  /**
   * The displayed image for orientation 1–8 (anything else counts as 1). Orientations 5–8 swap
   * width and height.
   */
  static BufferedImage apply(BufferedImage rgb, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return rgb;
    }
    if (rgb.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      rgb = SrgbNormaliser.drawOnWhite(rgb); // opaque sRGB already; only the layout changes
    } else if (rgb.getType() != BufferedImage.TYPE_INT_RGB) {
      throw new IllegalArgumentException("expected opaque RGB, got type " + rgb.getType());
    }
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    boolean swap = ExifOrientation.swapsAxes(orientation);
    BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
    int outWidth = out.getWidth();
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      rgb.getRaster().getDataElements(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        // Where stored pixel (x, y) lands, per the EXIF definition of each value.
        int dx;
        int dy;
        switch (orientation) {
          case 2 -> { // mirrored left-right
            dx = w - 1 - x;
            dy = y;
          }
          case 3 -> { // upside down
            dx = w - 1 - x;
            dy = h - 1 - y;
          }
          case 4 -> { // mirrored top-bottom
            dx = x;
            dy = h - 1 - y;
          }
          case 5 -> { // transpose: mirrored along the main diagonal
            dx = y;
            dy = x;
          }
          case 6 -> { // needs a quarter turn clockwise
            dx = h - 1 - y;
            dy = x;
          }
          case 7 -> { // transverse: mirrored along the anti-diagonal
            dx = h - 1 - y;
            dy = w - 1 - x;
          }
          default -> { // 8: needs a quarter turn anticlockwise
            dx = y;
            dy = w - 1 - x;
          }
        }
        dst[dy * outWidth + dx] = row[x];
      }
    }
    return out;
  }
}
