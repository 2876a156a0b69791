package io.imgpress.processing.imageio;

/**
 * Reads the orientation tag (0x0112) from IFD0 of a TIFF structure, the payload of every EXIF
 * block. Hand-rolled because ImageIO exposes EXIF only through reader-specific metadata trees, and
 * the probe must find the orientation without creating a reader for pixels.
 */
final class TiffOrientation {

  static final int NORMAL = 1;
  private static final int ORIENTATION_TAG = 0x0112;
  private static final int TYPE_SHORT = 3;

  private TiffOrientation() {}

  /** Orientation 1–8 from the TIFF data at {@code b[offset, offset + length)}, 1 when absent. */
  static int read(byte[] b, int offset, int length) {
    int end = (int) Math.min(b.length, (long) offset + Math.max(0, length));
    if (offset < 0 || end - offset < 8) {
      return NORMAL;
    }
    boolean little;
    if (b[offset] == 'I' && b[offset + 1] == 'I') {
      little = true;
    } else if (b[offset] == 'M' && b[offset + 1] == 'M') {
      little = false;
    } else {
      return NORMAL;
    }
    Reader r = new Reader(b, offset, little);
    int size = end - offset;
    if (r.u16(2) != 42) {
      return NORMAL;
    }
    long ifd = r.u32(4);
    if (ifd < 8 || ifd > size - 2) {
      return NORMAL;
    }
    int entries = r.u16((int) ifd);
    for (int i = 0; i < entries; i++) {
      int entry = (int) ifd + 2 + i * 12;
      if (entry + 12 > size) {
        return NORMAL;
      }
      if (r.u16(entry) == ORIENTATION_TAG) {
        int value = r.u16(entry + 8);
        boolean valid = r.u16(entry + 2) == TYPE_SHORT && value >= 1 && value <= 8;
        return valid ? value : NORMAL;
      }
    }
    return NORMAL;
  }

  private record Reader(byte[] b, int base, boolean little) {
    int u16(int at) {
      int first = b[base + at] & 0xFF;
      int second = b[base + at + 1] & 0xFF;
      return little ? first | second << 8 : first << 8 | second;
    }

    long u32(int at) {
      long high = u16(little ? at + 2 : at);
      long low = u16(little ? at : at + 2);
      return high << 16 | low;
    }
  }
}
