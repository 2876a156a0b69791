package io.imgpress.processing.imageio;

import io.imgpress.processing.ImageFormat;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds the EXIF orientation in the container of each format (JPEG APP1, PNG eXIf, WebP EXIF chunk,
 * a TIFF's own first directory) from the raw bytes, so probing stays header-only. GIF and BMP carry
 * no EXIF.
 */
final class ExifOrientation {

  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;
  private static final int APP1 = 0xE1;

  private ExifOrientation() {}

  /** Orientation 1–8; 1 when there is none or it cannot be read. */
  static int read(byte[] bytes, ImageFormat format) {
    return switch (format) {
      case JPEG -> fromJpeg(bytes);
      case PNG -> PngChunks.find(bytes, "eXIf").map(ExifOrientation::fromTiffOrExif).orElse(1);
      case WEBP -> webpExifChunk(bytes).map(ExifOrientation::fromTiffOrExif).orElse(1);
      // A TIFF's own tag 274, in the first page's directory: the structure EXIF borrows.
      case TIFF -> TiffOrientation.read(bytes, 0, bytes.length);
      // GIF and BMP carry none; the portable engine reads none of the others.
      case GIF, BMP, HEIF, AVIF, JXL, JP2 -> TiffOrientation.NORMAL;
    };
  }

  /** Orientations 5–8 turn the stored image by a quarter, so width and height trade places. */
  static boolean swapsAxes(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  private static int fromJpeg(byte[] b) {
    int at = 2;
    while (at + 4 <= b.length) {
      if ((b[at] & 0xFF) != 0xFF) {
        return TiffOrientation.NORMAL;
      }
      int marker = b[at + 1] & 0xFF;
      if (marker == 0xFF) {
        at++; // fill byte before a marker
        continue;
      }
      if (marker == SOS || marker == EOI) {
        return TiffOrientation.NORMAL;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
        at += 2; // markers without a length
        continue;
      }
      int length = (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
      if (marker == APP1 && isExifHeader(b, at + 4, length - 2)) {
        return TiffOrientation.read(b, at + 10, length - 8);
      }
      at += 2 + length;
    }
    return TiffOrientation.NORMAL;
  }

  private static Optional<byte[]> webpExifChunk(byte[] b) {
    int at = 12; // after "RIFF", size, "WEBP"
    while (at + 8 <= b.length) {
      long size =
          (b[at + 4] & 0xFFL)
              | (b[at + 5] & 0xFFL) << 8
              | (b[at + 6] & 0xFFL) << 16
              | (b[at + 7] & 0xFFL) << 24;
      int data = at + 8;
      if (size > b.length - data) {
        return Optional.empty();
      }
      if (b[at] == 'E' && b[at + 1] == 'X' && b[at + 2] == 'I' && b[at + 3] == 'F') {
        return Optional.of(Arrays.copyOfRange(b, data, data + (int) size));
      }
      at = data + (int) size + (int) (size & 1); // chunks are padded to even sizes
    }
    return Optional.empty();
  }

  // Some writers put the JPEG-style "Exif\0\0" header in front of the TIFF data of PNG/WebP too.
  private static int fromTiffOrExif(byte[] data) {
    int skip = isExifHeader(data, 0, data.length) ? 6 : 0;
    return TiffOrientation.read(data, skip, data.length - skip);
  }

  private static boolean isExifHeader(byte[] b, int at, int available) {
    return available >= 6
        && at + 6 <= b.length
        && b[at] == 'E'
        && b[at + 1] == 'x'
        && b[at + 2] == 'i'
        && b[at + 3] == 'f'
        && b[at + 4] == 0
        && b[at + 5] == 0;
  }
}
