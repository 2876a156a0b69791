package io.imgpress.processing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Baseline TIFFs built byte by byte (uncompressed, one strip per page), so the tests control what
 * no ImageIO writer lets them choose: CMYK, 16-bit samples, an ICC profile (tag 34675),
 * unassociated alpha, the orientation tag and several pages.
 */
public final class TiffImages {

  public static final int RGB = 2;
  public static final int CMYK = 5;

  /**
   * One page.
   *
   * @param photometric {@link #RGB} or {@link #CMYK}
   * @param bits 8 or 16 bits per sample
   * @param alpha whether a last, unassociated alpha sample follows the colour samples
   * @param pixel the samples of the pixel at (x, y), alpha included
   * @param icc the ICC profile to embed, or null
   * @param orientation the orientation tag 1–8, or 0 for none
   */
  public record Page(
      int width,
      int height,
      int photometric,
      int bits,
      boolean alpha,
      BiFunction<Integer, Integer, int[]> pixel,
      byte[] icc,
      int orientation) {

    /** An 8-bit RGB page without profile or orientation. */
    public static Page rgb(int width, int height, BiFunction<Integer, Integer, int[]> pixel) {
      return new Page(width, height, RGB, 8, false, pixel, null, 0);
    }

    public Page withIcc(byte[] profile) {
      return new Page(width, height, photometric, bits, alpha, pixel, profile, orientation);
    }

    public Page withOrientation(int tag) {
      return new Page(width, height, photometric, bits, alpha, pixel, icc, tag);
    }

    public Page withBits(int sampleBits) {
      return new Page(width, height, photometric, sampleBits, alpha, pixel, icc, orientation);
    }

    int samples() {
      return (photometric == CMYK ? 4 : 3) + (alpha ? 1 : 0);
    }
  }

  private TiffImages() {}

  /** Every pixel the same samples. */
  public static BiFunction<Integer, Integer, int[]> flat(int... samples) {
    return (x, y) -> samples;
  }

  /** The TIFF of these pages, in this byte order. */
  public static byte[] tiff(ByteOrder order, Page... pages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean little = order == ByteOrder.LITTLE_ENDIAN;
    out.writeBytes(little ? new byte[] {'I', 'I', 42, 0} : new byte[] {'M', 'M', 0, 42});
    int nextPointer = 4; // where the offset of the next IFD is to be written
    byte[] header = new byte[4];
    out.writeBytes(header);
    List<int[]> patches = new ArrayList<>(); // {position, value}
    for (Page page : pages) {
      byte[] strip = strip(page, order);
      int stripOffset = out.size();
      out.writeBytes(strip);
      pad(out);
      int iccOffset = out.size();
      if (page.icc() != null) {
        out.writeBytes(page.icc());
        pad(out);
      }
      int bitsOffset = out.size();
      ByteBuffer bits = ByteBuffer.allocate(2 * page.samples()).order(order);
      for (int i = 0; i < page.samples(); i++) {
        bits.putShort((short) page.bits());
      }
      out.writeBytes(bits.array());
      pad(out);

      List<int[]> entries = new ArrayList<>(); // {tag, type, count, value}
      entries.add(new int[] {256, 4, 1, page.width()});
      entries.add(new int[] {257, 4, 1, page.height()});
      entries.add(
          new int[] {258, 3, page.samples(), page.samples() <= 2 ? page.bits() : bitsOffset});
      entries.add(new int[] {259, 3, 1, 1});
      entries.add(new int[] {262, 3, 1, page.photometric()});
      entries.add(new int[] {273, 4, 1, stripOffset});
      if (page.orientation() > 0) {
        entries.add(new int[] {274, 3, 1, page.orientation()});
      }
      entries.add(new int[] {277, 3, 1, page.samples()});
      entries.add(new int[] {278, 4, 1, page.height()});
      entries.add(new int[] {279, 4, 1, strip.length});
      entries.add(new int[] {284, 3, 1, 1});
      if (page.alpha()) {
        entries.add(new int[] {338, 3, 1, 2}); // unassociated alpha
      }
      if (page.icc() != null) {
        entries.add(new int[] {34675, 7, page.icc().length, iccOffset});
      }
      int ifd = out.size();
      patches.add(new int[] {nextPointer, ifd});
      ByteBuffer directory = ByteBuffer.allocate(2 + 12 * entries.size() + 4).order(order);
      directory.putShort((short) entries.size());
      for (int[] e : entries) {
        directory.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]);
        if (e[1] == 3 && e[2] == 1) {
          directory.putShort((short) e[3]).putShort((short) 0); // a SHORT sits left-justified
        } else {
          directory.putInt(e[3]);
        }
      }
      directory.putInt(0);
      out.writeBytes(directory.array());
      nextPointer = ifd + 2 + 12 * entries.size();
    }
    byte[] tiff = out.toByteArray();
    ByteBuffer patch = ByteBuffer.wrap(tiff).order(order);
    for (int[] p : patches) {
      patch.putInt(p[0], p[1]);
    }
    return tiff;
  }

  /** Little-endian, one page. */
  public static byte[] tiff(Page page) {
    return tiff(ByteOrder.LITTLE_ENDIAN, page);
  }

  private static byte[] strip(Page page, ByteOrder order) {
    int bytesPerSample = page.bits() / 8;
    ByteBuffer strip =
        ByteBuffer.allocate(page.width() * page.height() * page.samples() * bytesPerSample)
            .order(order);
    for (int y = 0; y < page.height(); y++) {
      for (int x = 0; x < page.width(); x++) {
        int[] samples = page.pixel().apply(x, y);
        if (samples.length != page.samples()) {
          throw new IllegalArgumentException("expected " + page.samples() + " samples a pixel");
        }
        for (int s : samples) {
          if (bytesPerSample == 2) {
            strip.putShort((short) s);
          } else {
            strip.put((byte) s);
          }
        }
      }
    }
    return strip.array();
  }

  // TIFF offsets should be even.
  private static void pad(ByteArrayOutputStream out) {
    if (out.size() % 2 != 0) {
      out.write(0);
    }
  }
}
