package io.imgpress.processing.imageio;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Applies a PNG's embedded ICC profile (iCCP chunk), which the JDK's PNG reader ignores: it labels
 * every RGB PNG sRGB, so a Display P3 screenshot would come out dull. The JPEG and WebP readers of
 * TwelveMonkeys apply embedded profiles themselves.
 */
final class PngIccProfile {

  /** Real profiles are tens of kB; the cap stops a deflate bomb hidden in the chunk. */
  private static final int MAX_PROFILE_BYTES = 4 << 20;

  private PngIccProfile() {}

  /** The embedded RGB profile, unless absent, unreadable, not RGB, or plain sRGB. */
  static Optional<ICC_Profile> find(byte[] png) {
    return PngChunks.find(png, "iCCP").flatMap(PngIccProfile::parse);
  }

  /**
   * The same pixels (8 bits per sample) labelled with the profile's colour space instead of sRGB,
   * so that {@link SrgbNormaliser} converts them. Palette images count as RGB; greyscale ones are
   * left as they are, since a grey PNG cannot carry an RGB profile.
   */
  static BufferedImage assign(BufferedImage decoded, ICC_Profile profile) {
    ColorModel cm = decoded.getColorModel();
    if (cm.getColorSpace().getType() != ColorSpace.TYPE_RGB) {
      return decoded;
    }
    boolean alpha = cm.hasAlpha();
    ComponentColorModel tagged =
        new ComponentColorModel(
            new ICC_ColorSpace(profile),
            alpha,
            false,
            alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    int w = decoded.getWidth();
    int h = decoded.getHeight();
    WritableRaster raster = tagged.createCompatibleWritableRaster(w, h);
    int[] argb = new int[w];
    int[] samples = new int[w * raster.getNumBands()];
    for (int y = 0; y < h; y++) {
      // getRGB yields the stored values untouched, because the reader called them sRGB.
      decoded.getRGB(0, y, w, 1, argb, 0, w);
      for (int x = 0, i = 0; x < w; x++) {
        samples[i++] = argb[x] >> 16 & 0xFF;
        samples[i++] = argb[x] >> 8 & 0xFF;
        samples[i++] = argb[x] & 0xFF;
        if (alpha) {
          samples[i++] = argb[x] >>> 24;
        }
      }
      raster.setPixels(0, y, w, 1, samples);
    }
    return new BufferedImage(tagged, raster, false, null);
  }

  private static Optional<ICC_Profile> parse(byte[] chunk) {
    int nul = 0;
    while (nul < chunk.length && chunk[nul] != 0) {
      nul++;
    }
    // name, NUL, compression method (0 = deflate), compressed profile
    if (nul + 2 > chunk.length || chunk[nul + 1] != 0) {
      return Optional.empty();
    }
    try {
      ICC_Profile profile = ICC_Profile.getInstance(inflate(chunk, nul + 2));
      boolean usable = profile.getColorSpaceType() == ColorSpace.TYPE_RGB && !isSrgb(profile);
      return usable ? Optional.of(profile) : Optional.empty();
    } catch (IllegalArgumentException | DataFormatException e) {
      return Optional.empty(); // like browsers: a broken profile is ignored, the pixels are kept
    }
  }

  // Converting sRGB to sRGB through the CMS costs time and can shift values by one. The
  // description is what identifies the common sRGB profiles ("sRGB IEC61966-2.1", "sRGB built-in").
  private static boolean isSrgb(ICC_Profile profile) {
    byte[] d = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
    if (d == null || d.length < 12) {
      return false;
    }
    String type = new String(d, 0, 4, StandardCharsets.ISO_8859_1);
    String text = "";
    if (type.equals("desc")) { // ICC v2: count, then ASCII
      text = new String(d, 12, Math.min(u32(d, 8), d.length - 12), StandardCharsets.ISO_8859_1);
    } else if (type.equals("mluc") && d.length >= 28) { // ICC v4: first record, UTF-16BE
      int length = u32(d, 20);
      int offset = u32(d, 24);
      if (offset >= 0 && offset <= d.length) {
        text =
            new String(d, offset, Math.min(length, d.length - offset), StandardCharsets.UTF_16BE);
      }
    }
    return text.startsWith("sRGB");
  }

  private static int u32(byte[] b, int at) {
    long value =
        (b[at] & 0xFFL) << 24
            | (b[at + 1] & 0xFFL) << 16
            | (b[at + 2] & 0xFFL) << 8
            | b[at + 3] & 0xFFL;
    return (int) Math.min(value, Integer.MAX_VALUE);
  }

  private static byte[] inflate(byte[] data, int offset) throws DataFormatException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data, offset, data.length - offset);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DataFormatException("truncated profile");
        }
        out.write(buffer, 0, n);
        if (out.size() > MAX_PROFILE_BYTES) {
          throw new DataFormatException("profile too large");
        }
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }
}
