package io.imgpress.processing;

/**
 * The structural similarity (SSIM, Wang et al. 2004) of two images of the same size, on luma only,
 * as x264 and ffmpeg compute it: unweighted 8×8 windows placed every 4 pixels (each window made of
 * 2×2 blocks of 4×4 pixels, so every pixel's sums are taken once), the usual constants C1 = (0.01 ·
 * 255)², C2 = (0.03 · 255)², averaged over all windows. Pixels past the last whole 4×4 block (at
 * most 3 columns and rows) are left out; an image less than 8 pixels wide or high is one window.
 *
 * <p>Luma only: colour errors (chroma subsampling) do not count, as in the SSIM figures encoders
 * report. 1.0 means identical; it is symmetric in its two arguments.
 */
public final class Ssim {

  private static final double C1 = (0.01 * 255) * (0.01 * 255);
  private static final double C2 = (0.03 * 255) * (0.03 * 255);

  private Ssim() {}

  /** The SSIM of {@code a} against {@code b}, between -1 and 1. */
  public static double of(RgbPixels a, RgbPixels b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      throw new IllegalArgumentException(
          "sizes differ: " + a.width() + "×" + a.height() + " and " + b.width() + "×" + b.height());
    }
    return ofLuma(a.luma(), b.luma(), a.width(), a.height());
  }

  static double ofLuma(float[] a, float[] b, int width, int height) {
    if (width < 8 || height < 8) {
      return window(sums(a, b, width, 0, 0, width, height), (double) width * height);
    }
    int bw = width / 4;
    int bh = height / 4;
    // Per 4×4 block: sum a, sum b, sum a² + b², sum ab.
    double[] blocks = new double[bw * bh * 4];
    for (int by = 0; by < bh; by++) {
      for (int bx = 0; bx < bw; bx++) {
        double[] s = sums(a, b, width, bx * 4, by * 4, 4, 4);
        System.arraycopy(s, 0, blocks, (by * bw + bx) * 4, 4);
      }
    }
    double total = 0;
    double[] w = new double[4];
    for (int by = 0; by + 1 < bh; by++) {
      for (int bx = 0; bx + 1 < bw; bx++) {
        java.util.Arrays.fill(w, 0);
        for (int dy = 0; dy < 2; dy++) {
          for (int dx = 0; dx < 2; dx++) {
            int at = ((by + dy) * bw + bx + dx) * 4;
            for (int k = 0; k < 4; k++) {
              w[k] += blocks[at + k];
            }
          }
        }
        total += window(w, 64);
      }
    }
    return total / ((long) (bw - 1) * (bh - 1));
  }

  private static double[] sums(float[] a, float[] b, int stride, int x0, int y0, int w, int h) {
    double sa = 0;
    double sb = 0;
    double squares = 0;
    double cross = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int i = y * stride + x0, end = i + w; i < end; i++) {
        double va = a[i];
        double vb = b[i];
        sa += va;
        sb += vb;
        squares += va * va + vb * vb;
        cross += va * vb;
      }
    }
    return new double[] {sa, sb, squares, cross};
  }

  /** SSIM of one window from its sums over {@code n} pixels. */
  private static double window(double[] s, double n) {
    double ma = s[0] / n;
    double mb = s[1] / n;
    double variances = s[2] / n - ma * ma - mb * mb; // var(a) + var(b)
    double covariance = s[3] / n - ma * mb;
    return (2 * ma * mb + C1)
        * (2 * covariance + C2)
        / ((ma * ma + mb * mb + C1) * (variances + C2));
  }
}
