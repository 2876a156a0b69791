package io.imgpress.processing;

/**
 * Counts the frames (or pages) an image's container declares, from its structure alone and without
 * decoding any pixel, so that an animation of a million frames (or a TIFF of a million pages) is
 * refused before a decoder walks it. Stops counting past a limit, so its own work is bounded too. A
 * structure cut short or broken counts what came before: telling corrupt data is the decoder's job.
 */
final class FrameCounter {

  private FrameCounter() {}

  /** Frames declared by {@code bytes} in {@code format}, or {@code stopAfter + 1} when more. */
  static long count(byte[] bytes, ImageFormat format, long stopAfter) {
    return switch (format) {
      case GIF -> gifFrames(bytes, stopAfter);
      case WEBP -> webpFrames(bytes, stopAfter);
      case PNG -> pngFrames(bytes);
      case TIFF -> tiffPages(bytes, stopAfter);
      // Both engines decode only the primary image or first frame of these, and neither walks
      // the others to find it.
      case JPEG, BMP, HEIF, AVIF, JXL, JP2 -> 1;
    };
  }

  // GIF: a header, an optional global colour table, then blocks: image descriptors (0x2C),
  // extensions (0x21) and the trailer (0x3B). Each image descriptor is one frame.
  private static long gifFrames(byte[] b, long stopAfter) {
    int pos = 13;
    if (b.length < pos) {
      return 1;
    }
    if ((b[10] & 0x80) != 0) {
      pos += 3 << ((b[10] & 0x07) + 1);
    }
    long frames = 0;
    while (pos < b.length && frames <= stopAfter) {
      int block = b[pos] & 0xFF;
      if (block == 0x2C) {
        frames++;
        if (pos + 10 > b.length) {
          break;
        }
        int packed = b[pos + 9] & 0xFF;
        pos += 10;
        if ((packed & 0x80) != 0) {
          pos += 3 << ((packed & 0x07) + 1);
        }
        pos = skipSubBlocks(b, pos + 1); // after the LZW minimum code size
      } else if (block == 0x21) {
        pos = skipSubBlocks(b, pos + 2); // after the label
      } else {
        break; // the trailer, or something no decoder would read on from
      }
    }
    return Math.max(1, frames);
  }

  private static int skipSubBlocks(byte[] b, int pos) {
    while (pos >= 0 && pos < b.length) {
      int size = b[pos] & 0xFF;
      pos += 1 + size;
      if (size == 0) {
        return pos;
      }
    }
    return b.length;
  }

  // WebP: RIFF chunks after "RIFF" size "WEBP"; an animation has one ANMF chunk per frame.
  private static long webpFrames(byte[] b, long stopAfter) {
    long frames = 0;
    long pos = 12;
    while (pos + 8 <= b.length && frames <= stopAfter) {
      int at = (int) pos;
      boolean anmf = b[at] == 'A' && b[at + 1] == 'N' && b[at + 2] == 'M' && b[at + 3] == 'F';
      if (anmf) {
        frames++;
      }
      long size = littleEndian32(b, at + 4);
      pos += 8 + size + (size & 1);
    }
    return Math.max(1, frames);
  }

  // PNG: an animated PNG declares its frame count in the acTL chunk, before the first IDAT.
  private static long pngFrames(byte[] b) {
    long pos = 8;
    while (pos + 8 <= b.length) {
      int at = (int) pos;
      long size = bigEndian32(b, at);
      String type = new String(b, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (type.equals("IDAT")) {
        break;
      }
      if (type.equals("acTL") && at + 12 <= b.length) {
        return Math.max(1, bigEndian32(b, at + 8));
      }
      pos += 12 + size;
    }
    return 1;
  }

  // TIFF: a chain of image file directories (IFDs), one per page, each ending in the offset of
  // the next (0 ends the chain). Only the first page is used, but libtiff counts them all.
  private static long tiffPages(byte[] b, long stopAfter) {
    if (b.length < 8) {
      return 1;
    }
    boolean little = b[0] == 'I';
    long pages = 0;
    long ifd = tiff32(b, 4, little);
    java.util.Set<Long> seen = new java.util.HashSet<>();
    while (ifd >= 8 && ifd + 2 <= b.length && pages <= stopAfter && seen.add(ifd)) {
      pages++;
      int at = (int) ifd;
      int entries =
          little
              ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8
              : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
      long next = ifd + 2 + 12L * entries;
      if (next + 4 > b.length) {
        break;
      }
      ifd = tiff32(b, (int) next, little);
    }
    return Math.max(1, pages);
  }

  private static long tiff32(byte[] b, int at, boolean little) {
    return little ? littleEndian32(b, at) : bigEndian32(b, at);
  }

  private static long littleEndian32(byte[] b, int at) {
    return (b[at] & 0xFFL)
        | (b[at + 1] & 0xFFL) << 8
        | (b[at + 2] & 0xFFL) << 16
        | (b[at + 3] & 0xFFL) << 24;
  }

  private static long bigEndian32(byte[] b, int at) {
    return (b[at] & 0xFFL) << 24
        | (b[at + 1] & 0xFFL) << 16
        | (b[at + 2] & 0xFFL) << 8
        | (b[at + 3] & 0xFFL);
  }
}
