package io.imgpress.processing.imageio;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds an ancillary chunk in raw PNG bytes: the JDK's PNG reader ignores eXIf and does not apply
 * iCCP, so both are read here. CRCs are not checked; a damaged chunk at worst yields no orientation
 * or profile.
 */
final class PngChunks {

  private static final int SIGNATURE_LENGTH = 8;
  private static final byte[] IEND = "IEND".getBytes(StandardCharsets.US_ASCII);

  private PngChunks() {}

  /** The data of the first chunk of the given four-letter type, if any. */
  static Optional<byte[]> find(byte[] png, String type) {
    byte[] wanted = type.getBytes(StandardCharsets.US_ASCII);
    int at = SIGNATURE_LENGTH;
    while (at + 8 <= png.length) {
      long length = u32(png, at);
      int data = at + 8;
      if (length > png.length - data) {
        return Optional.empty();
      }
      if (Arrays.equals(png, at + 4, at + 8, wanted, 0, 4)) {
        return Optional.of(Arrays.copyOfRange(png, data, data + (int) length));
      }
      if (Arrays.equals(png, at + 4, at + 8, IEND, 0, 4)) {
        return Optional.empty();
      }
      at = data + (int) length + 4;
    }
    return Optional.empty();
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xFFL) << 24
        | (b[at + 1] & 0xFFL) << 16
        | (b[at + 2] & 0xFFL) << 8
        | b[at + 3] & 0xFFL;
  }
}
