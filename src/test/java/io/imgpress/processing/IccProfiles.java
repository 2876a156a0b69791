package io.imgpress.processing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small ICC v2 profiles built byte by byte, so colour tests need no profile files of unclear
 * licence: RGB matrix/TRC display profiles (Display P3, Adobe RGB) and a CMYK profile whose lookup
 * table maps inks to colours no default CMYK conversion would give, so a test can tell whether the
 * embedded profile was used. Expected colours come from plain colorimetry ({@link #toSrgb}).
 */
public final class IccProfiles {

  /** Primaries and white point as CIE xy: red, green, blue, white. */
  public record RgbSpace(double[][] xy, boolean srgbCurve, double gamma) {}

  private static final double[] D65 = {0.3127, 0.3290};

  public static final RgbSpace DISPLAY_P3 =
      new RgbSpace(new double[][] {{0.680, 0.320}, {0.265, 0.690}, {0.150, 0.060}, D65}, true, 0);

  public static final RgbSpace ADOBE_RGB =
      new RgbSpace(
          new double[][] {{0.640, 0.330}, {0.210, 0.710}, {0.150, 0.060}, D65}, false, 563 / 256.0);

  public static final RgbSpace SRGB =
      new RgbSpace(new double[][] {{0.640, 0.330}, {0.300, 0.600}, {0.150, 0.060}, D65}, true, 0);

  private static final double[] D50_XYZ = {0.9642, 1.0, 0.8249};
  private static final double[][] BRADFORD = {
    {0.8951, 0.2664, -0.1614}, {-0.7502, 1.7135, 0.0367}, {0.0389, -0.0685, 1.0296}
  };

  private IccProfiles() {}

  /** A v2 display profile ('mntr', RGB to XYZ) with the space's primaries and tone curve. */
  public static byte[] rgb(RgbSpace space, String name) {
    double[][] toD50 = multiply(adaptD65ToD50(), toXyz(space));
    Map<String, byte[]> tags = new LinkedHashMap<>();
    tags.put("desc", desc(name));
    tags.put("cprt", text("No copyright, test data"));
    tags.put("wtpt", xyz(D50_XYZ));
    tags.put("rXYZ", xyz(column(toD50, 0)));
    tags.put("gXYZ", xyz(column(toD50, 1)));
    tags.put("bXYZ", xyz(column(toD50, 2)));
    byte[] curve = curve(space);
    tags.put("rTRC", curve);
    tags.put("gTRC", curve);
    tags.put("bTRC", curve);
    return profile("mntr", "RGB ", "XYZ ", tags);
  }

  /**
   * A v2 output profile ('prtr', CMYK to Lab) whose 2-point lookup table sends each ink to the next
   * primary: 100 % cyan shows as yellow (255,255,0), magenta as cyan, yellow as magenta.
   */
  public static byte[] rotatedCmyk() {
    ByteArrayOutputStream lut = new ByteArrayOutputStream();
    lut.writeBytes(ascii("mft1"));
    lut.writeBytes(new byte[4]);
    lut.writeBytes(new byte[] {4, 3, 2, 0});
    ByteBuffer identity = ByteBuffer.allocate(36);
    for (int i = 0; i < 9; i++) {
      identity.putInt(i % 4 == 0 ? 0x10000 : 0);
    }
    lut.writeBytes(identity.array());
    for (int channel = 0; channel < 4; channel++) {
      for (int v = 0; v < 256; v++) {
        lut.write(v);
      }
    }
    // Grid order: the first input channel varies slowest.
    for (int corner = 0; corner < 16; corner++) {
      double c = corner >> 3 & 1;
      double m = corner >> 2 & 1;
      double y = corner >> 1 & 1;
      double k = corner & 1;
      double[] rgb = {(1 - m) * (1 - k), (1 - y) * (1 - k), (1 - c) * (1 - k)};
      double[] lab = labD50(rgb);
      lut.write(clamp(Math.round(lab[0] * 255 / 100)));
      lut.write(clamp(Math.round(lab[1] + 128)));
      lut.write(clamp(Math.round(lab[2] + 128)));
    }
    for (int channel = 0; channel < 3; channel++) {
      for (int v = 0; v < 256; v++) {
        lut.write(v);
      }
    }
    Map<String, byte[]> tags = new LinkedHashMap<>();
    tags.put("desc", desc("imgpress rotated CMYK"));
    tags.put("cprt", text("No copyright, test data"));
    tags.put("wtpt", xyz(D50_XYZ));
    byte[] table = lut.toByteArray();
    // One table for every intent: colour engines refuse an intent the profile lacks.
    tags.put("A2B0", table);
    tags.put("A2B1", table);
    tags.put("A2B2", table);
    // Some readers (TwelveMonkeys) only accept a CMYK profile that also converts back.
    byte[] back = blackOnlyInverse();
    tags.put("B2A0", back);
    tags.put("B2A1", back);
    tags.put("B2A2", back);
    return profile("prtr", "CMYK", "Lab ", tags);
  }

  /** Lab to CMYK, crudely: lightness to black ink only. Never used to check colours. */
  private static byte[] blackOnlyInverse() {
    ByteArrayOutputStream lut = new ByteArrayOutputStream();
    lut.writeBytes(ascii("mft1"));
    lut.writeBytes(new byte[4]);
    lut.writeBytes(new byte[] {3, 4, 2, 0});
    ByteBuffer identity = ByteBuffer.allocate(36);
    for (int i = 0; i < 9; i++) {
      identity.putInt(i % 4 == 0 ? 0x10000 : 0);
    }
    lut.writeBytes(identity.array());
    for (int channel = 0; channel < 3; channel++) {
      for (int v = 0; v < 256; v++) {
        lut.write(v);
      }
    }
    for (int corner = 0; corner < 8; corner++) {
      lut.writeBytes(new byte[] {0, 0, 0, (byte) ((corner >> 2 & 1) == 0 ? 255 : 0)});
    }
    for (int channel = 0; channel < 4; channel++) {
      for (int v = 0; v < 256; v++) {
        lut.write(v);
      }
    }
    return lut.toByteArray();
  }

  /** The sRGB colour (0–255) of an 8-bit colour in {@code space}, by plain colorimetry. */
  public static int[] toSrgb(RgbSpace space, int r, int g, int b) {
    double[] linear = {
      decode(space, r / 255.0), decode(space, g / 255.0), decode(space, b / 255.0)
    };
    double[] xyz = apply(toXyz(space), linear);
    double[] srgb = apply(invert(toXyz(SRGB)), xyz);
    int[] out = new int[3];
    for (int i = 0; i < 3; i++) {
      out[i] = clamp(Math.round(encodeSrgb(srgb[i]) * 255));
    }
    return out;
  }

  private static byte[] profile(String cls, String space, String pcs, Map<String, byte[]> tags) {
    int offset = 128 + 4 + 12 * tags.size();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    ByteBuffer table = ByteBuffer.allocate(4 + 12 * tags.size()).putInt(tags.size());
    Map<byte[], Integer> written = new java.util.IdentityHashMap<>();
    for (Map.Entry<String, byte[]> tag : tags.entrySet()) {
      Integer at = written.get(tag.getValue());
      if (at == null) {
        at = offset + data.size();
        written.put(tag.getValue(), at);
        data.writeBytes(tag.getValue());
        while (data.size() % 4 != 0) {
          data.write(0);
        }
      }
      table.put(ascii(tag.getKey())).putInt(at).putInt(tag.getValue().length);
    }
    int size = offset + data.size();
    ByteBuffer header = ByteBuffer.allocate(128);
    header.putInt(size).put(ascii("lcms")).putInt(0x02100000);
    header.put(ascii(cls)).put(ascii(space)).put(ascii(pcs));
    header.putShort((short) 2024).putShort((short) 1).putShort((short) 1);
    header.putShort((short) 0).putShort((short) 0).putShort((short) 0);
    header.put(ascii("acsp")).putInt(0).putInt(0).putInt(0).putInt(0).putLong(0).putInt(0);
    header.putInt(fixed(D50_XYZ[0])).putInt(fixed(D50_XYZ[1])).putInt(fixed(D50_XYZ[2]));
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(header.array());
    out.writeBytes(table.array());
    out.writeBytes(data.toByteArray());
    return out.toByteArray();
  }

  private static byte[] curve(RgbSpace space) {
    if (!space.srgbCurve()) {
      // One entry: a pure gamma in u8Fixed8.
      return ByteBuffer.allocate(14)
          .put(ascii("curv"))
          .putInt(0)
          .putInt(1)
          .putShort((short) Math.round(space.gamma() * 256))
          .array();
    }
    ByteBuffer curve = ByteBuffer.allocate(12 + 2 * 1024).put(ascii("curv")).putInt(0).putInt(1024);
    for (int i = 0; i < 1024; i++) {
      curve.putShort((short) Math.round(decode(space, i / 1023.0) * 65535));
    }
    return curve.array();
  }

  private static byte[] desc(String name) {
    byte[] ascii = (name + "\0").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer desc = ByteBuffer.allocate(12 + ascii.length + 8 + 3 + 67);
    desc.put(ascii("desc")).putInt(0).putInt(ascii.length).put(ascii);
    return desc.array(); // no Unicode or ScriptCode description: counts stay 0
  }

  private static byte[] text(String text) {
    byte[] ascii = (text + "\0").getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(8 + ascii.length).put(ascii("text")).putInt(0).put(ascii).array();
  }

  private static byte[] xyz(double[] xyz) {
    return ByteBuffer.allocate(20)
        .put(ascii("XYZ "))
        .putInt(0)
        .putInt(fixed(xyz[0]))
        .putInt(fixed(xyz[1]))
        .putInt(fixed(xyz[2]))
        .array();
  }

  private static double decode(RgbSpace space, double v) {
    if (!space.srgbCurve()) {
      return Math.pow(v, space.gamma());
    }
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }

  private static double encodeSrgb(double v) {
    v = Math.min(1, Math.max(0, v));
    return v <= 0.0031308 ? v * 12.92 : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
  }

  /** Linear RGB to XYZ (white Y = 1) for the space's own white point. */
  private static double[][] toXyz(RgbSpace space) {
    double[][] p = new double[3][3];
    for (int i = 0; i < 3; i++) {
      double x = space.xy()[i][0];
      double y = space.xy()[i][1];
      p[0][i] = x / y;
      p[1][i] = 1;
      p[2][i] = (1 - x - y) / y;
    }
    double[] w = whiteXyz(space.xy()[3]);
    double[] s = apply(invert(p), w);
    for (int row = 0; row < 3; row++) {
      for (int i = 0; i < 3; i++) {
        p[row][i] *= s[i];
      }
    }
    return p;
  }

  private static double[][] adaptD65ToD50() {
    double[] src = apply(BRADFORD, whiteXyz(D65));
    double[] dst = apply(BRADFORD, D50_XYZ);
    double[][] scale = {{dst[0] / src[0], 0, 0}, {0, dst[1] / src[1], 0}, {0, 0, dst[2] / src[2]}};
    return multiply(invert(BRADFORD), multiply(scale, BRADFORD));
  }

  private static double[] labD50(double[] srgb) {
    double[] linear = new double[3];
    for (int i = 0; i < 3; i++) {
      linear[i] = decode(SRGB, srgb[i]);
    }
    double[] xyz = apply(multiply(adaptD65ToD50(), toXyz(SRGB)), linear);
    double fx = labF(xyz[0] / D50_XYZ[0]);
    double fy = labF(xyz[1] / D50_XYZ[1]);
    double fz = labF(xyz[2] / D50_XYZ[2]);
    return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
  }

  private static double labF(double t) {
    return t > 216 / 24389.0 ? Math.cbrt(t) : (24389 / 27.0 * t + 16) / 116;
  }

  private static double[] whiteXyz(double[] xy) {
    return new double[] {xy[0] / xy[1], 1, (1 - xy[0] - xy[1]) / xy[1]};
  }

  private static double[] column(double[][] m, int i) {
    return new double[] {m[0][i], m[1][i], m[2][i]};
  }

  private static double[] apply(double[][] m, double[] v) {
    double[] out = new double[3];
    for (int r = 0; r < 3; r++) {
      out[r] = m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2];
    }
    return out;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] out = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        out[r][c] = a[r][0] * b[0][c] + a[r][1] * b[1][c] + a[r][2] * b[2][c];
      }
    }
    return out;
  }

  private static double[][] invert(double[][] m) {
    double det =
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    double[][] inv = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        double[][] minor = new double[2][2];
        for (int i = 0, mi = 0; i < 3; i++) {
          if (i == c) {
            continue;
          }
          for (int j = 0, mj = 0; j < 3; j++) {
            if (j != r) {
              minor[mi][mj++] = m[i][j];
            }
          }
          mi++;
        }
        double cof = minor[0][0] * minor[1][1] - minor[0][1] * minor[1][0];
        inv[r][c] = ((r + c) % 2 == 0 ? cof : -cof) / det;
      }
    }
    return inv;
  }

  private static int fixed(double v) {
    return (int) Math.round(v * 65536);
  }

  private static int clamp(long v) {
    return (int) Math.max(0, Math.min(255, v));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
