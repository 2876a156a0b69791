package io.imgpress.intake;

import java.io.IOException;
import java.io.InputStream;

/**
 * Counts bytes and fails once the input is longer than the cap. It never asks the source for more
 * than one byte beyond the cap, so an oversized upload is not drained just to be refused. The
 * source is not closed; it belongs to the caller.
 */
final class CappedInputStream extends InputStream {

  private final InputStream in;
  private final long maxBytes;
  private long count;

  CappedInputStream(InputStream in, long maxBytes) {
    this.in = in;
    // Keeps maxBytes + 1 from overflowing.
    this.maxBytes = Math.min(maxBytes, Long.MAX_VALUE - 1);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int allowed = (int) Math.min(length, maxBytes + 1 - count);
    int n = in.read(buffer, offset, allowed);
    if (n > 0) {
      count += n;
      if (count > maxBytes) {
        throw new InputTooLargeException(maxBytes);
      }
    }
    return n;
  }
}
